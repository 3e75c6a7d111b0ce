// A repository someone clones can hold anything: a Dockerfile of 20,000 chained stages, one of
// megabytes, files that are links to devices. None of it may crash, freeze or cost unbounded
// memory. (The files the CLI writes back, and its output, are tested in cli-hostile.test.ts;
// the language server in test/protocol/hostile.test.ts.)
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { analyzeDocument, buildModel, runRules } from '../../server/src/core';
import {
  analyzeInSlices,
  LARGE_DOCUMENT_LENGTH,
  SLICE_LENGTH,
  stageScopedRules,
} from '../../server/src/core/engine/large-document';
import { findGoMod, readGoMod } from '../../server/src/node/go-mod';
import { ProjectBuilds } from '../../server/src/node/project-builds';
import { ProjectFiles } from '../../server/src/lsp/project-files';
import { ROOT } from '../support/fixtures';
import { lines } from '../support/rule-tester';

const CORE = join(ROOT, 'server', 'dist', 'core.js');

/** Runs `script` (with `core` bound to the built core) in a Node limited to `heapMb` of heap. */
function inBoundedNode(script: string, heapMb: number) {
  const result = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${heapMb}`,
      '-e',
      `const core = require(${JSON.stringify(CORE)});\n${script}`,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

describe('long stage chains', () => {
  // `FROM sN AS sN+1` twenty thousand times: an index of every stage under each of its ancestors,
  // and walks of the whole chain for every stage, made this quadratic (47 s, 2.9 GB).
  test('20,000 chained stages are analysed by every rule within 160 MB of heap', () => {
    const run = inBoundedNode(
      `const lines = ['FROM golang:1.22 AS s0', 'RUN go build -o /app .'];
       for (let i = 0; i < 20000; i++) lines.push('FROM s' + i + ' AS s' + (i + 1));
       lines.push('CMD ["/app"]');
       const model = core.buildModel(lines.join('\\n') + '\\n');
       const found = core.runRules(model, {}, { strict: true }).map((d) => d.rule + ':' + d.range.start.line);
       process.stdout.write(JSON.stringify(found));`,
      160,
    );
    assert.equal(run.status, 0, `exit ${run.status ?? run.signal}: ${run.stderr.slice(-500)}`);
    // Go 1.22 is out of support: golang-image-outdated walks the chain for the build too.
    assert.deepEqual(JSON.parse(run.stdout), [
      'golang-image-outdated:0',
      'go-build-without-cache-mount:1',
      'go-toolchain-in-final-stage:20001',
    ]);
  });
});

/** `count` copies of `stage` (with `${i}` replaced by the copy's number), after `head`. */
function repeated(head: string, stage: string, count: number): string {
  const parts = [head];
  for (let i = 0; i < count; i++) parts.push(stage.replaceAll('${i}', String(i)));
  return parts.join('');
}

const STAGE = lines(
  'FROM golang:1.24-alpine AS build${i}',
  'WORKDIR /src',
  'COPY . .',
  'RUN CGO_ENABLED=0 go build -o /out/svc${i} ./cmd/svc${i}',
  'FROM gcr.io/distroless/static AS run${i}',
  'COPY --from=build${i} /out/svc${i} /svc',
  'RUN chmod +x /svc',
  'CMD /svc',
);

/** Findings as comparable text: rule, range and message. */
const shown = (d: {
  rule: string;
  range: { start: { line: number; character: number } };
  message: string;
}) => `${d.rule} ${d.range.start.line}:${d.range.start.character} ${d.message}`;

describe('documents too large to analyse whole', () => {
  const text = repeated('ARG GO_VERSION=1.24\n', STAGE, 1500);

  test('are checked by the stage-scoped rules only, with a note saying what was skipped', () => {
    assert.ok(text.length > LARGE_DOCUMENT_LENGTH);
    const result = analyzeDocument(text);
    assert.match(
      result.note ?? '',
      /larger than 256 KiB .* the other \d+ rules need the whole file/,
    );
    const scoped = new Set(stageScopedRules().map((r) => r.meta.id));
    assert.ok(result.diagnostics.length > 0);
    assert.ok(result.diagnostics.every((d) => scoped.has(d.rule)));
  });

  test('report what the whole analysis reports for those rules, and nothing else', () => {
    const sliced = analyzeDocument(text).diagnostics.map(shown);
    const whole = runRules(buildModel(text), {}, { rules: stageScopedRules() }).map(shown);
    assert.deepEqual(sliced, whole);
  });

  test('pause between slices of a few KiB', () => {
    const analysis = analyzeInSlices(text);
    let pauses = 0;
    while (!analysis.next().done) pauses++;
    assert.ok(
      pauses >= text.length / SLICE_LENGTH,
      `${pauses} pauses for ${text.length} characters`,
    );
  });

  test('FROM names the first stage of a name, even one in an earlier slice', () => {
    // `base` is alpine (it has a shell); a later `base` on distroless does not change what
    // `FROM base` means, though a slice of its own would see only the later one.
    const later = lines('FROM gcr.io/distroless/static AS base', 'FROM base AS user${i}', 'RUN ls');
    const document =
      repeated('FROM alpine AS base\n', later, 8000) + 'FROM golang:1.24\nRUN go build -o /a .\n';
    assert.ok(document.length > LARGE_DOCUMENT_LENGTH);
    const whole = runRules(buildModel(document), {}, { rules: stageScopedRules() });
    const sliced = analyzeDocument(document).diagnostics;
    assert.deepEqual(sliced.map(shown), whole.map(shown));
    assert.ok(!sliced.some((d) => d.rule === 'run-without-shell'));
  });

  test('lines of a heredoc that look like FROM do not start a stage', () => {
    // Read as instructions, these would be stages on scratch running a shell.
    const body = 'FROM scratch AS fake\nRUN echo\n'.repeat(1000);
    const document =
      repeated('', STAGE, 600) +
      `FROM gcr.io/distroless/static AS heredoc\nRUN <<EOF\n${body}EOF\n` +
      repeated('', STAGE, 600);
    const whole = runRules(buildModel(document), {}, { rules: stageScopedRules() });
    const sliced = analyzeDocument(document).diagnostics;
    assert.deepEqual(sliced.map(shown), whole.map(shown));
  });

  test('a global ignore anywhere in the file applies to every slice', () => {
    const document =
      repeated('', STAGE, 1200) + '# go-multistage global ignore=run-without-shell\n';
    const rules = new Set(analyzeDocument(document).diagnostics.map((d) => d.rule));
    assert.ok(!rules.has('run-without-shell'));
    assert.ok(rules.has('shell-form-without-shell'));
  });
});

describe('project files that are not files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gm-hostile-files-'));
    execFileSync('mkfifo', [join(dir, 'go.mod')]);
    symlinkSync('/dev/zero', join(dir, 'zero.mod'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a go.mod that is a FIFO or a link to /dev/zero is refused at once, not read', () => {
    assert.throws(
      () => readGoMod(join(dir, 'go.mod'), 'go.mod'),
      /cannot read go\.mod go\.mod: not a regular file/,
    );
    assert.throws(() => readGoMod(join(dir, 'zero.mod'), 'zero.mod'), /not a regular file/);
    assert.equal(findGoMod(dir, dir), undefined);
  });
});

describe('untrusted workspaces', () => {
  test("a repository's own settings cannot point a file-path setting anywhere", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      capabilities: {
        untrustedWorkspaces: { supported: unknown; restrictedConfigurations?: string[] };
      };
      contributes: {
        configuration: {
          properties: Record<string, { markdownDescription?: string; description?: string }>;
        };
      };
    };
    const trust = manifest.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, 'limited');
    // The settings that name a file: their description says it is a path.
    const paths = Object.entries(manifest.contributes.configuration.properties)
      .filter(([, p]) => /\bpath\b/i.test(p.markdownDescription ?? p.description ?? ''))
      .map(([name]) => name);
    assert.deepEqual(paths, ['goMultistage.goMod']);
    assert.deepEqual(trust.restrictedConfigurations, paths);
  });
});

describe('build files that are hostile', () => {
  let repo: string;
  const skipped: string[] = [];
  before(() => {
    repo = mkdtempSync(join(tmpdir(), 'gm-hostile-builds-'));
    mkdirSync(join(repo, '.git'));
    writeFileSync(join(repo, 'Dockerfile'), 'FROM golang:1.24 AS build\nFROM scratch AS runtime\n');
    execFileSync('mkfifo', [join(repo, 'compose.yaml')]);
    symlinkSync('/dev/zero', join(repo, 'docker-compose.yml'));
    writeFileSync(join(repo, 'compose.override.yml'), 'services:\n  a: ' + 'x'.repeat(2 << 20));
    writeFileSync(join(repo, 'compose.deep.yaml'), '['.repeat(50_000));
    writeFileSync(join(repo, 'compose.dashes.yaml'), '- '.repeat(50_000) + 'x\n');
    writeFileSync(join(repo, 'docker-bake.hcl'), 'target "a" {\n  target = [[[[[\n');
    writeFileSync(join(repo, 'docker-bake.json'), '{"target": ');
    writeFileSync(join(repo, 'build.sh'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
    const make = ['X = a'];
    for (let i = 0; i < 40_000; i++) make.push(`t${i}: ; echo $(X)`);
    make.push('image:', '\tdocker build --target runtime .');
    writeFileSync(join(repo, 'Makefile'), make.join('\n'));
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  test('are each skipped with one line; the good ones are read; nothing throws or hangs', () => {
    const builds = new ProjectBuilds((path, reason) =>
      skipped.push(`${basename(path)}: ${reason}`),
    );
    const started = Date.now();
    const found = builds.buildsFor(join(repo, 'Dockerfile'), repo);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    assert.deepEqual(
      found.map((b) => [b.source.file, b.target]),
      [['Makefile', 'runtime']],
    );
    const expected = [
      /^build\.sh: a binary file$/,
      /^compose\.dashes\.yaml: not valid YAML: nested too deeply$/,
      /^compose\.deep\.yaml: not valid YAML: nested too deeply$/,
      /^compose\.override\.yml: larger than 1048576 bytes$/,
      /^compose\.yaml: not a regular file$/,
      /^docker-bake\.hcl: not read as HCL: a list is not closed$/,
      /^docker-bake\.json: not valid JSON: /,
      /^docker-compose\.yml: a link to \/dev\/zero, outside /,
    ];
    const said = [...skipped].sort();
    assert.equal(said.length, expected.length, said.join('\n'));
    said.forEach((line, i) => assert.match(line, expected[i]));
    // Read again, nothing is said twice by the cache's own doing: the same skips, once each.
    skipped.length = 0;
    builds.buildsFor(join(repo, 'Dockerfile'), repo);
    assert.equal(new Set(skipped).size, skipped.length);
  });

  test('an untrusted workspace’s configuration file cannot choose the go.mod or the runtime', () => {
    writeFileSync(
      join(repo, '.go-multistage.json'),
      JSON.stringify({
        targets: ['runtime'],
        runtimeImage: 'evil/image',
        goMod: '../../etc/go.mod',
      }),
    );
    const said: string[] = [];
    const project = new ProjectFiles((message) => said.push(message));
    project.setWorkspaceFolders([pathToFileURL(repo).href]);
    project.trusted = false;
    const uri = pathToFileURL(join(repo, 'Dockerfile')).href;
    const info = project.forDocument(uri, 'FROM scratch AS runtime\n');
    assert.deepEqual(info.config?.config, { targets: ['runtime'] });
    assert.deepEqual(info.targets, { names: ['runtime'], source: '.go-multistage.json' });
    assert.ok(said.some((m) => m.includes('not applied in an untrusted workspace')));
    project.trusted = true;
    project.invalidate();
    const trusted = project.forDocument(uri, 'FROM scratch AS runtime\n');
    assert.equal(trusted.config?.config.runtimeImage, 'evil/image');
    // Trusted or not, a go.mod outside the repository is not read.
    assert.ok(said.some((m) => /goMod \.\.\/\.\.\/etc\/go\.mod is outside the repository/.test(m)));
    rmSync(join(repo, '.go-multistage.json'));
  });
});
