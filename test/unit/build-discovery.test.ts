// The build files of a repository are found beyond the Dockerfile's folders (a bounded walk),
// read with the files they source or include, and a build whose Dockerfile is a variable counts
// as a possible build of each Dockerfile it may name: unreachable-stage stays silent on the
// stages such builds name, and nothing else follows from them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { main, type Io } from '../../server/src/cli/main';
import { pathToFileURL } from 'node:url';
import { ProjectFiles } from '../../server/src/lsp/project-files';
import { rewriteFile } from '../../server/src/node/file-rewrite';
import { ProjectBuilds } from '../../server/src/node/project-builds';
import { fitsPattern } from '../../server/src/project/dockerfile-pattern';
import { projectView } from '../../server/src/node/project-settings';
import { lines } from '../support/rule-tester';

let repo: string;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
}

/** The findings of a rule on a Dockerfile of the repository. */
function findings(dockerfile: string, rule: string): { message: string; line: number }[] {
  let stdout = '';
  const io: Io = {
    stdout: (t) => (stdout += t),
    stderr: () => undefined,
    cwd: repo,
    readStdin: () => '',
    writeFile: rewriteFile,
    color: false,
  };
  main(['lint', '--format', 'json', dockerfile], io);
  const [file] = JSON.parse(stdout) as {
    diagnostics: { rule: string; message: string; range: { start: { line: number } } }[];
  }[];
  return file.diagnostics
    .filter((d) => d.rule === rule)
    .map((d) => ({ message: d.message, line: d.range.start.line + 1 }));
}

/** The unreachable-stage findings of a Dockerfile of the repository, as `line:stage`. */
function unreachable(dockerfile: string): string[] {
  return findings(dockerfile, 'unreachable-stage').map(
    (d) => `${d.line}:${/"([^"]+)"/.exec(d.message)?.[1]}`,
  );
}

/** The builds found for a Dockerfile: `file:line target` (`?` before a possible one). */
function found(dockerfile: string): string[] {
  const view = projectView(join(repo, dockerfile), repo, new ProjectBuilds(), {
    skipped: () => undefined,
    problem: () => undefined,
  });
  return [...view.builds, ...view.possibleBuilds].map(
    (b) =>
      `${b.possible ? '?' : ''}${b.source.file}:${b.source.line + 1} ${b.target === undefined ? '(last)' : String(b.target)}`,
  );
}

/** Stages `test`, `alpine` and `dev` that nothing uses, then the image. */
const TARGETS = lines(
  'FROM golang:1.24 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN CGO_ENABLED=0 go build -o /out/app .',
  'FROM build AS test',
  'RUN go test ./...',
  'FROM alpine:3.20 AS alpine',
  'COPY --from=build /out/app /app',
  'FROM golang:1.24 AS dev',
  'RUN go build -o /app .',
  'FROM scratch',
  'COPY --from=build /out/app /app',
);

describe('build discovery: scripts anywhere, prefixes, sourced and included variables', () => {
  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'gm-discovery-'));
    mkdirSync(join(repo, '.git'));
    write('go.mod', 'module example.com/app\n\ngo 1.24\n');
    write('Dockerfile', TARGETS);
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  test('a release script outside the usual folders, behind a variable prefix', () => {
    assert.deepEqual(unreachable('Dockerfile'), ['5:test', '7:alpine', '9:dev']);
    write(
      'releasing/do-release.sh',
      lines(
        '#!/bin/bash',
        'if [[ -z ${DRY_RUN:-} ]]; then PREFIX=""; else PREFIX="echo"; fi',
        'cd "$(dirname "$0")/.."',
        '$PREFIX docker buildx build --platform linux/amd64 --push --target alpine .',
      ),
    );
    assert.deepEqual(found('Dockerfile'), ['releasing/do-release.sh:4 alpine']);
    assert.deepEqual(unreachable('Dockerfile'), ['5:test', '9:dev']);
  });

  test('a script naming its Dockerfile from its own folder gives no context to check', () => {
    const copyModules = lines(
      'FROM golang:1.24 AS build',
      'WORKDIR /src',
      'ADD go.mod go.sum ./',
      'RUN go mod download',
      'COPY . .',
      'RUN CGO_ENABLED=0 go build -o /out/app .',
      'FROM scratch',
      'COPY --from=build /out/app /app',
    );
    write('go.sum', '');
    write('deploy/Dockerfile', copyModules);
    // cadvisor's deploy/build.sh: `.` is wherever it is run from (it runs `make build` first,
    // so the repository root), not necessarily deploy/.
    write(
      'deploy/build.sh',
      lines('#!/bin/bash', 'make build', 'docker build -t app:beta -f $(dirname $0)/Dockerfile .'),
    );
    write('Makefile', lines('docker:', '\tdocker build -t app -f deploy/Dockerfile .'));
    assert.deepEqual(found('deploy/Dockerfile').sort(), [
      'Makefile:2 (last)',
      'deploy/build.sh:3 (last)',
    ]);
    assert.deepEqual(findings('deploy/Dockerfile', 'go-module-file-not-in-context'), []);
    // Its Dockerfile named from where it runs (`-f Dockerfile`), the script's `.` is its folder.
    write('deploy/build.sh', lines('#!/bin/bash', 'docker build -t app:beta -f Dockerfile .'));
    assert.equal(findings('deploy/Dockerfile', 'go-module-file-not-in-context').length, 2);
  });

  test('a lowercase dockerfile is the default when the context has no Dockerfile', () => {
    write('web/dockerfile', TARGETS);
    write('compose.yaml', lines('services:', '  web:', '    build: web'));
    assert.deepEqual(found('web/dockerfile'), ['compose.yaml:3 (last)']);
    write('web/Dockerfile', TARGETS);
    assert.deepEqual(found('web/dockerfile'), []);
  });

  test('an action script sourcing .env, keeping its commands in a variable', () => {
    write('build/Dockerfile', TARGETS);
    write('.env', lines('DOCKERFILE=build/Dockerfile', "DOCKER_BUILD_CONTEXT='.'"));
    write(
      '.github/actions/build-push/build.sh',
      lines(
        '#!/bin/bash',
        'source .env',
        'for stage in test dev; do',
        '  cmd="docker buildx build \\',
        '      --target $stage \\',
        '      ${tags_flags[*]} \\',
        '      -f $DOCKERFILE $DOCKER_BUILD_CONTEXT',
        '  "',
        '  eval "$cmd"',
        'done',
        'cmd="docker buildx build --target alpine -f $DOCKERFILE $DOCKER_BUILD_CONTEXT"',
        'run_cmd "$cmd"',
      ),
    );
    // `$stage` is a loop variable: any stage may be built, so none is reported.
    assert.deepEqual(found('build/Dockerfile'), [
      '.github/actions/build-push/build.sh:4 null',
      '.github/actions/build-push/build.sh:11 alpine',
    ]);
    assert.deepEqual(unreachable('build/Dockerfile'), []);
    // The root Dockerfile is not the one these builds name.
    assert.deepEqual(found('Dockerfile'), []);
    assert.deepEqual(unreachable('Dockerfile'), ['5:test', '7:alpine', '9:dev']);
  });

  test("a composite action's run step, found by the walk under .github/actions", () => {
    write(
      '.github/actions/image/action.yml',
      lines(
        'name: image',
        'runs:',
        '  using: composite',
        '  steps:',
        '    - shell: bash',
        '      run: docker build --target dev -t app:dev .',
      ),
    );
    assert.deepEqual(found('Dockerfile'), ['.github/actions/image/action.yml:6 dev']);
    assert.deepEqual(unreachable('Dockerfile'), ['5:test', '7:alpine']);
  });

  test('a Makefile including .env names the Dockerfile and the target', () => {
    write('build/Dockerfile', TARGETS);
    write('.env', lines('DOCKERFILE=build/Dockerfile', 'TARGET=dev'));
    write(
      'Makefile',
      lines('include .env', 'build:', '\tdocker build --target $(TARGET) -f $(DOCKERFILE) .'),
    );
    assert.deepEqual(found('build/Dockerfile'), ['Makefile:3 dev']);
    assert.deepEqual(unreachable('build/Dockerfile'), ['5:test', '7:alpine']);
    assert.deepEqual(found('Dockerfile'), []);
    // The cached parse follows a change of the included file.
    write('.env', lines('DOCKERFILE=Dockerfile', 'TARGET=test'));
    const builds = new ProjectBuilds();
    assert.deepEqual(
      builds.buildsFor(join(repo, 'Dockerfile'), repo).map((b) => b.target),
      ['test'],
    );
    write('.env', lines('DOCKERFILE=Dockerfile', 'TARGET=alpine'));
    assert.deepEqual(
      builds.buildsFor(join(repo, 'Dockerfile'), repo).map((b) => b.target),
      ['alpine'],
    );
  });

  test('a Dockerfile given on standard input: from `cat FILE |` or `< FILE`', () => {
    write('build/Dockerfile', TARGETS);
    write('other/Dockerfile', TARGETS);
    write(
      'Makefile',
      lines(
        'DIR := build',
        'image:',
        '\tcat $(DIR)/Dockerfile | DOCKER_BUILDKIT=1 docker build --target dev . -t x --file -',
        'other:',
        '\tdocker build -f - --target test . < other/Dockerfile',
        // Generated on the fly, or several files: no file of the repository is the Dockerfile.
        '\tsed s/a/b/ other/Dockerfile | docker build -f - --target alpine .',
        '\tcat other/Dockerfile build/Dockerfile | docker build -f - --target alpine .',
      ),
    );
    assert.deepEqual(found('build/Dockerfile'), ['Makefile:3 dev']);
    assert.deepEqual(found('other/Dockerfile'), ['Makefile:5 test']);
  });

  test('a Dockerfile left to a variable: a possible build, only where its literal parts fit', () => {
    write('deploy/Dockerfile.prod', TARGETS);
    write(
      'scripts/images.sh',
      lines(
        'docker build -f "deploy/Dockerfile.${FLAVOUR}" --target "$STAGE" .',
        'docker build -f other/Dockerfile --target dev .',
      ),
    );
    assert.deepEqual(found('deploy/Dockerfile.prod'), ['?scripts/images.sh:1 null']);
    assert.deepEqual(unreachable('deploy/Dockerfile.prod'), []);
    // `Dockerfile` at the root does not fit `deploy/Dockerfile.*`; other/Dockerfile is named.
    assert.deepEqual(found('Dockerfile'), []);
    assert.deepEqual(unreachable('Dockerfile'), ['5:test', '7:alpine', '9:dev']);
    write('scripts/images.sh', 'docker build -f $DOCKERFILE --target alpine .\n');
    assert.deepEqual(found('Dockerfile'), ['?scripts/images.sh:1 alpine']);
    assert.deepEqual(unreachable('Dockerfile'), ['5:test', '9:dev']);
  });

  test('a possible build names no stage that ships, no platform, no argument', () => {
    write(
      'scripts/images.sh',
      'docker build -f $DOCKERFILE --platform linux/amd64,linux/arm64 --target dev .\n',
    );
    let stdout = '';
    main(['lint', '--format', 'json', 'Dockerfile'], {
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
      cwd: repo,
      readStdin: () => '',
      writeFile: rewriteFile,
      color: false,
    });
    const rules = (
      JSON.parse(stdout) as {
        diagnostics: { rule: string; range: { start: { line: number } } }[];
      }[]
    )[0].diagnostics.map((d) => `${d.rule}:${d.range.start.line + 1}`);
    // Not shipped: the dev stage on the toolchain is no final image.
    assert.ok(!rules.some((r) => r.startsWith('go-toolchain-in-final-stage')), rules.join('\n'));
    assert.ok(rules.includes('unreachable-stage:5'));
    assert.ok(!rules.includes('unreachable-stage:9'));
  });

  test('the language server passes possible builds apart from the builds', () => {
    write('scripts/images.sh', 'docker build -f $DOCKERFILE --target dev .\n');
    write('scripts/release.sh', 'docker build --target alpine .\n');
    const info = new ProjectFiles().forDocument(
      pathToFileURL(join(repo, 'Dockerfile')).href,
      TARGETS,
    );
    assert.deepEqual(
      info.builds?.map((b) => b.target),
      ['alpine'],
    );
    assert.deepEqual(
      info.possibleBuilds?.map((b) => b.target),
      ['dev'],
    );
  });

  test('the walk skips dependencies, other hidden folders, links and what lies too deep', () => {
    const build = 'docker build --target dev .\n';
    write('node_modules/pkg/build.sh', build);
    write('vendor/x/build.sh', build);
    write('.cache/build.sh', build);
    write('a/b/c/d/e/f/g/build.sh', build);
    write('tools/big.sh', `${build}${'# padding\n'.repeat(30_000)}`);
    const outside = mkdtempSync(join(tmpdir(), 'gm-outside-'));
    try {
      writeFileSync(join(outside, 'build.sh'), build);
      symlinkSync(outside, join(repo, 'linked'));
      const skipped: string[] = [];
      const builds = new ProjectBuilds((path, reason) => skipped.push(`${path}: ${reason}`));
      assert.deepEqual(builds.buildsFor(join(repo, 'Dockerfile'), repo), []);
      assert.deepEqual(
        skipped.map((s) => s.replace(repo, 'REPO')),
        ['REPO/tools/big.sh: larger than 262144 bytes'],
      );
      write('a/b/c/d/e/f/build.sh', build);
      write('.circleci/build.sh', build);
      // A dev container's compose file, which builds a stage of the project's Dockerfile.
      write(
        '.devcontainer/docker-compose-devcontainer.yml',
        'services:\n  dev:\n    build:\n      context: ..\n      target: devcontainer\n',
      );
      assert.deepEqual(
        new ProjectBuilds().buildsFor(join(repo, 'Dockerfile'), repo).map((b) => b.source.file),
        [
          '.circleci/build.sh',
          '.devcontainer/docker-compose-devcontainer.yml',
          'a/b/c/d/e/f/build.sh',
        ],
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test('a repository of 20,000 files and deep folders is walked within its bounds', () => {
    for (let d = 0; d < 200; d++) {
      for (let f = 0; f < 100; f++) write(`pkg${d}/sub/f${f}.go`, '');
    }
    let deep = '';
    for (let i = 0; i < 100; i++) deep += `d${i}/`;
    write(`${deep}build.sh`, 'docker build --target dev .\n');
    for (let s = 0; s < 150; s++) write(`scripts-${s}/x/run.sh`, 'echo nothing to build\n');
    const builds = new ProjectBuilds();
    const started = Date.now();
    const walked = builds.walk(repo);
    const spent = Date.now() - started;
    assert.ok(spent < 1500, `walked in ${spent} ms`);
    assert.equal(walked.length, 100);
    assert.deepEqual(builds.buildsFor(join(repo, 'Dockerfile'), repo), []);
  });
});

describe('build discovery: Dockerfile patterns', () => {
  test('literal parts in order, a literal start beginning a path segment', () => {
    assert.ok(fitsPattern('/r/build/Dockerfile', '${DOCKERFILE}'));
    assert.ok(fitsPattern('/r/build/Dockerfile', '${__make_unknown__}'));
    assert.ok(fitsPattern('/r/deploy/Dockerfile.prod', 'deploy/Dockerfile.${X}'));
    assert.ok(fitsPattern('/r/deploy/Dockerfile.prod', '${ROOT}/deploy/Dockerfile.prod'));
    assert.ok(fitsPattern('/r/deploy/Dockerfile.prod', './${DIR}/Dockerfile.prod'));
    assert.ok(fitsPattern('/r/x/Dockerfile', '@script-dir@/../${D}/Dockerfile'));
    assert.ok(fitsPattern('/r/Dockerfile.fips.arm64', 'Dockerfile.fips.$1'));
    assert.ok(!fitsPattern('/r/Dockerfile', 'deploy/Dockerfile.${X}'));
    assert.ok(!fitsPattern('/r/xdeploy/Dockerfile.prod', 'deploy/Dockerfile.${X}'));
    assert.ok(!fitsPattern('/r/build/Dockerfile', '${DIR}/Dockerfile.prod'));
    assert.ok(!fitsPattern('/r/a.Dockerfile', '${A}b${B}.Dockerfile'));
  });

  test('a pattern of many variables against a long path answers at once', () => {
    const pattern = Array.from({ length: 200 }, () => '${A}a').join('') + '${B}b';
    const path = '/' + 'a'.repeat(5000);
    const started = Date.now();
    assert.equal(fitsPattern(path, pattern), false);
    assert.ok(Date.now() - started < 100);
  });
});
