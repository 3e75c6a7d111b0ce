import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import snippetJson from '../../snippets/go-dockerfile.json';
import { analyze, buildModel, isGoDockerfile, type DockerfileModel } from '../../server/src/core';
import { CURRENT_DEBIAN } from '../../server/src/core/model/images';
import {
  fileTemplates,
  templateGoVersion,
  type SnippetDefinition,
  type SnippetFile,
} from '../../server/src/core/stages/templates';
import { choicesOf, expandSnippet, SnippetSyntaxError } from '../support/snippet-expander';

const SNIPPETS = snippetJson as SnippetFile;
const ALL = Object.values(SNIPPETS);
const TEMPLATES = fileTemplates(SNIPPETS);
const FRAGMENTS = ALL.filter((s) => s.isFileTemplate !== true);

/** The stages each whole-file template must parse into: [stage name, image as written]. */
const EXPECTED_STAGES: Record<string, [string | null, string][]> = {
  'go-ms-distroless': [
    ['build', 'golang:${GO_VERSION}'],
    [null, `gcr.io/distroless/static-${CURRENT_DEBIAN}:nonroot`],
  ],
  'go-ms-scratch': [
    ['build', 'golang:${GO_VERSION}'],
    [null, 'scratch'],
  ],
  'go-ms-alpine': [
    ['build', 'golang:${GO_VERSION}'],
    [null, 'alpine:3.24'],
  ],
  'go-ms-cgo': [
    ['build', 'golang:${GO_VERSION}'],
    [null, `gcr.io/distroless/base-${CURRENT_DEBIAN}:nonroot`],
  ],
  'go-ms-dev': [
    ['dev', 'golang:${GO_VERSION}'],
    ['build', 'dev'],
    [null, `gcr.io/distroless/static-${CURRENT_DEBIAN}:nonroot`],
  ],
};

function prefixOf(snippet: SnippetDefinition): string {
  return typeof snippet.prefix === 'string' ? snippet.prefix : snippet.prefix[0];
}

function goModFor(version: string): string {
  return `module example.com/app\n\ngo ${version}\n`;
}

/** The body expanded with its defaults, then once more for each other option of each choice. */
function variants(snippet: SnippetDefinition): { label: string; text: string; option?: string }[] {
  const result: { label: string; text: string; option?: string }[] = [
    { label: 'defaults', text: expandSnippet(snippet.body) },
  ];
  const body = typeof snippet.body === 'string' ? snippet.body : snippet.body.join('\n');
  for (const [index, options] of choicesOf(body)) {
    for (let pick = 1; pick < options.length; pick++) {
      result.push({
        label: `$${index} = ${options[pick]}`,
        text: expandSnippet(snippet.body, { choices: { [index]: pick } }),
        option: options[pick],
      });
    }
  }
  return result;
}

function problems(text: string, goMod: string, minimum: 'warning' | 'hint'): string[] {
  const ranks = { error: 0, warning: 1, info: 2, hint: 3 };
  return analyze(text, { goMod })
    .filter((d) => ranks[d.severity] <= ranks[minimum])
    .map((d) => `${d.severity} ${d.rule} (line ${d.range.start.line + 1}): ${d.message}`);
}

/** Every RUN's words, for the checks that the rules of today do not make yet. */
function runWords(model: DockerfileModel) {
  return model.stages.flatMap((stage) =>
    stage.runs.map((run) => ({
      stage,
      run,
      words: run.commands.flatMap((c) => c.words.map((w) => w.text)),
      // The words and the inline assignments (`GOOS=$TARGETOS`), as the shell sees them.
      text: run.commands
        .flatMap((c) => [
          ...c.assignments.map((a) => `${a.name}=${a.value.text}`),
          ...c.words.map((w) => w.text),
        ])
        .join(' '),
      mounts: run.mounts.map((m) => ({
        type: m.getOption('type')?.getValue() ?? 'bind',
        target: m.getOption('target')?.getValue() ?? m.getOption('dst')?.getValue(),
      })),
    })),
  );
}

describe('snippet file', () => {
  test('every snippet has a go- prefix, a description and a body that expands', () => {
    const prefixes = new Set<string>();
    for (const snippet of ALL) {
      const prefix = prefixOf(snippet);
      assert.match(prefix, /^go-[a-z0-9-]+$/);
      assert.ok(!prefixes.has(prefix), `duplicate prefix ${prefix}`);
      prefixes.add(prefix);
      assert.ok((snippet.description ?? '').length > 40, `${prefix} needs a description`);
      assert.doesNotThrow(() => expandSnippet(snippet.body), `${prefix} body`);
    }
  });

  test('offers the five whole-file layouts and the fragments', () => {
    assert.deepEqual(TEMPLATES.map(prefixOf).sort(), Object.keys(EXPECTED_STAGES).sort());
    assert.ok(FRAGMENTS.length >= 13);
  });

  test('every whole-file template declares its Go version in one placeholder', () => {
    const versions = new Set(TEMPLATES.map((t) => templateGoVersion(t.body)));
    assert.equal(versions.size, 1, 'all templates default to the same Go version');
    const [version] = versions;
    assert.match(version ?? '', /^1\.\d+$/);
    for (const template of TEMPLATES) {
      const text = expandSnippet(template.body);
      assert.equal(text.match(/ARG GO_VERSION=/g)?.length, 1, prefixOf(template));
    }
  });

  test('distroless images use the current Debian suffix and a nonroot tag', () => {
    for (const snippet of ALL) {
      for (const { text } of variants(snippet)) {
        for (const image of text.match(/gcr\.io\/distroless\/[\w.:-]+/g) ?? []) {
          assert.match(image, new RegExp(`-${CURRENT_DEBIAN}:(debug-)?nonroot$`), image);
        }
      }
    }
  });

  test('Dockerfile variables are escaped, so the editor keeps the $', () => {
    for (const snippet of ALL) {
      const text = expandSnippet(snippet.body);
      for (const name of ['BUILDPLATFORM', 'TARGETOS', 'TARGETARCH', 'GO_VERSION']) {
        if (text.includes(name) && !text.includes(`ARG ${name}`)) {
          assert.match(text, new RegExp(`\\$\\{?${name}`), `${prefixOf(snippet)}: $${name}`);
        }
      }
    }
  });
});

describe('whole-file templates', () => {
  for (const template of TEMPLATES) {
    const prefix = prefixOf(template);
    const version = templateGoVersion(template.body) ?? '';
    for (const { label, text, option } of variants(template)) {
      const name = `${prefix} (${label})`;

      test(`${name} draws no warning or error`, () => {
        const model = buildModel(text, { goMod: goModFor(version) });
        assert.ok(isGoDockerfile(model), 'the rules must apply to it');
        assert.deepEqual(problems(text, goModFor(version), 'warning'), []);
      });

      test(`${name} re-parses into its stages`, () => {
        const dockerfile = DockerfileParser.parse(text);
        const stages = dockerfile.getFROMs().map((f) => [f.getBuildStage(), f.getImage()]);
        // A choice (the runtime image) replaces the final stage's image.
        const expected = EXPECTED_STAGES[prefix].map(([stage, image], i, all) => [
          stage,
          option !== undefined && i === all.length - 1 ? option : image,
        ]);
        assert.deepEqual(stages, expected);
        const syntax = validate(text).filter((d) => d.severity === 1 || d.severity === 2);
        assert.deepEqual(
          syntax.map((d) => d.message),
          [],
        );
      });

      test(`${name} follows the Go image practices the rules look for`, () => {
        const model = buildModel(text, { goMod: goModFor(version) });
        const final = model.finalStage!;
        // The golang image is pinned to go.mod's version.
        for (const stage of model.stages.filter((s) => s.facts.goToolchain && !s.parent)) {
          assert.equal(stage.base?.tag, version, `stage ${stage.name} pins golang`);
        }
        // Non-root at run time: a numeric USER, or an image whose default user is not root.
        assert.ok(
          final.facts.nonRoot || /^[1-9]\d*(:[1-9]\d*)?$/.test(final.user?.value ?? ''),
          'the final stage runs as a non-root user',
        );
        // Exec form, running the binary built to /out/<name> and copied to /<name>.
        assert.deepEqual(
          final.entrypoint?.exec?.map((w) => w.text),
          ['/app'],
        );
        const builds = model.stages.flatMap((s) => s.goCalls);
        assert.deepEqual(
          builds
            .filter((c) => c.invocation.subcommand === 'build')
            .map((c) => c.output.kind === 'file' && c.output.path),
          ['/out/app'],
        );
        const cgo = prefix === 'go-ms-cgo' ? '1' : '0';
        for (const call of builds.filter((c) => c.invocation.subcommand === 'build')) {
          assert.equal(call.invocation.env.get('CGO_ENABLED'), cgo, 'CGO_ENABLED');
        }
        const runs = runWords(model);
        // BuildKit mounts need the syntax directive.
        if (runs.some((r) => r.mounts.length > 0)) {
          assert.equal(text.split('\n')[0], '# syntax=docker/dockerfile:1');
        }
        for (const { stage, words, text: script, mounts } of runs) {
          const go = words.includes('go');
          const caches = mounts.filter((m) => m.type === 'cache').map((m) => m.target);
          // Modules and builds use the cache mounts, and modules come before the sources.
          if (go && (words.includes('download') || words.includes('build'))) {
            assert.ok(caches.includes('/go/pkg/mod'), `module cache in ${words.join(' ')}`);
          }
          if (go && (words.includes('build') || words.includes('install'))) {
            assert.ok(caches.includes('/root/.cache/go-build'), `build cache: ${words.join(' ')}`);
          }
          // Platform ARGs are declared in the stage that uses them.
          for (const name of ['TARGETOS', 'TARGETARCH']) {
            if (script.includes(name)) {
              assert.ok(
                stage.args.some((a) => a.name === name && a.defaultValue === undefined),
                `ARG ${name} in stage ${stage.name}`,
              );
            }
          }
        }
        // A stage on $BUILDPLATFORM (or built on one) cross-compiles its release build.
        for (const call of builds.filter((c) => c.invocation.subcommand === 'build')) {
          let stage: (typeof model.stages)[number] | undefined = model.stages[call.stageIndex];
          while (stage && !stage.platform) stage = stage.parent;
          if (stage?.platform?.text === '$BUILDPLATFORM') {
            assert.ok(call.invocation.inlineNames.includes('GOOS'), 'GOOS=$TARGETOS');
            assert.ok(call.invocation.inlineNames.includes('GOARCH'), 'GOARCH=$TARGETARCH');
          }
        }
        // Modules are fetched in a step of their own before the build.
        const download = runs.findIndex((r) => r.text.includes('go mod download'));
        const build = runs.findIndex((r) => r.text.includes('go build'));
        assert.ok(download >= 0 && download < build, 'go mod download before go build');
        // scratch has no CA bundle of its own.
        if (final.facts.family === 'scratch') {
          assert.ok(
            final.copies.some((c) => c.sources.some((s) => s.text.includes('ca-certificates'))),
            'scratch gets the CA bundle',
          );
        }
        // Only the binary (and system files) come into the final stage, never the sources.
        assert.ok(final.copies.every((c) => c.from !== undefined));
      });
    }
  }
});

describe('fragments', () => {
  const version = templateGoVersion(TEMPLATES[0].body) ?? '';
  // A build stage to attach fragments to, when they do not bring their own.
  const host = `FROM golang:${version} AS build\nWORKDIR /src\n`;

  test('default to the Go version of the whole-file templates', () => {
    for (const fragment of FRAGMENTS) {
      for (const tag of expandSnippet(fragment.body).match(/golang:[\w.-]+/g) ?? []) {
        assert.equal(tag, `golang:${version}`, prefixOf(fragment));
      }
    }
  });

  for (const fragment of FRAGMENTS) {
    const prefix = prefixOf(fragment);
    for (const { label, text } of variants(fragment)) {
      test(`${prefix} (${label}) expands to Dockerfile lines that parse`, () => {
        const file = /^FROM .* AS build$/m.test(text) ? text : host + text;
        const syntax = validate(file).filter((d) => d.severity === 1 || d.severity === 2);
        assert.deepEqual(
          syntax.map((d) => `${d.message} (line ${d.range.start.line + 1})`),
          [],
          file,
        );
        assert.ok(DockerfileParser.parse(text).getInstructions().length > 0);
        // No snippet syntax is left over.
        assert.doesNotMatch(text, /\$\{\d|\$\d/);
      });
    }
  }

  test('compose with a build stage into files that draw no warning or error', () => {
    const expand = (prefix: string, choices: Record<number, number> = {}) => {
      const snippet = ALL.find((s) => prefixOf(s) === prefix);
      assert.ok(snippet, prefix);
      return expandSnippet(snippet.body, { choices }) + '\n';
    };
    const stage = `FROM --platform=$BUILDPLATFORM golang:${version} AS build\nWORKDIR /src\n`;
    const builds = [
      expand('go-cross-args'),
      stage + expand('go-mod-download') + expand('go-build-cached'),
      stage + expand('go-private-modules') + expand('go-build-cached'),
    ];
    const finals = [
      expand('go-test-stage') + expand('go-lint-stage') + expand('go-final-distroless'),
      expand('go-final-distroless', { 1: 1 }) + expand('go-healthcheck-exec'),
      expand('go-final-scratch') + expand('go-tzdata') + expand('go-healthcheck-exec'),
      'FROM scratch\n' +
        expand('go-ca-certs') +
        'COPY --from=build /out/app /app\n' +
        expand('go-nonroot-user') +
        'ENTRYPOINT ["/app"]\n',
    ];
    for (const build of builds) {
      for (const final of finals) {
        const text = '# syntax=docker/dockerfile:1\n' + build + final;
        const model = buildModel(text, { goMod: goModFor(version) });
        assert.ok(isGoDockerfile(model));
        assert.deepEqual(problems(text, goModFor(version), 'warning'), [], text);
      }
    }
  });
});

describe('snippet expander', () => {
  test('takes defaults, mirrors and the first choice', () => {
    assert.equal(expandSnippet('a ${1:x} $1 ${2|p,q|} $2 $0'), 'a x x p p ');
    assert.equal(expandSnippet('${1:outer ${2:inner}} $2'), 'outer inner inner');
    assert.equal(expandSnippet('${1|p,q|}', { choices: { 1: 1 } }), 'q');
    assert.equal(expandSnippet(['${1:a}', '$1']), 'a\na');
  });

  test('unescapes \\$, \\} and \\\\, and choice separators', () => {
    assert.equal(expandSnippet('\\$HOME \\} \\\\ \\n'), '$HOME } \\ \\n');
    assert.equal(expandSnippet('${1:a\\}b}'), 'a}b');
    assert.equal(expandSnippet('${1|a\\,b,c|}'), 'a,b');
  });

  test('refuses variables and malformed tab stops', () => {
    assert.throws(() => expandSnippet('GOOS=$TARGETOS'), SnippetSyntaxError);
    assert.throws(() => expandSnippet('${GO_VERSION}'), SnippetSyntaxError);
    assert.throws(() => expandSnippet('${1:open'), SnippetSyntaxError);
    assert.throws(() => expandSnippet('${1|a,b}'), SnippetSyntaxError);
    assert.throws(() => expandSnippet('cost: $'), SnippetSyntaxError);
  });
});
