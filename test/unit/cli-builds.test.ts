// The CLI reads the builds a repository declares around a Dockerfile (compose, Bake, Makefiles,
// scripts, GitHub Actions, GitLab CI), its .go-multistage.json and --target, and the findings
// follow the stages that ship.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { main, type Io } from '../../server/src/cli/main';
import { rewriteFile } from '../../server/src/node/file-rewrite';
import { lines } from '../support/rule-tester';

let repo: string;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
}

function cli(args: string[], cwd = repo) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    readStdin: () => '',
    writeFile: rewriteFile,
    color: false,
  };
  const status = main(args, io);
  return { status, stdout, stderr };
}

/** A file that ends with a dev stage on the toolchain; production is the image meant to ship. */
export const TARGETED = lines(
  'FROM golang:1.24 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN CGO_ENABLED=0 go build -o /out/app .',
  '',
  'FROM scratch AS binary',
  'COPY --from=build /out/app /app',
  '',
  'FROM gcr.io/distroless/static-debian13:nonroot AS production',
  'COPY --from=build /out/app /app',
  'ENTRYPOINT ["/app"]',
  '',
  'FROM golang:1.24 AS dev',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o /app .',
  'CMD ["/app"]',
);

/** A GitHub workflow building the production stage. */
const PRODUCTION_WORKFLOW = [
  'on: push',
  'jobs:',
  '  image:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: docker/build-push-action@v6',
  '        with:',
  '          target: production',
];

/** The `note:` lines of --verbose about the Dockerfile, without the prefix. */
function notes(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('note: '))
    .map((l) => l.slice('note: '.length));
}

describe('CLI: the builds around a Dockerfile', () => {
  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'gm-builds-'));
    mkdirSync(join(repo, '.git'));
    write('go.mod', 'module example.com/app\n\ngo 1.24\n');
    write('main.go', 'package main\n\nfunc main() {}\n');
    write('Dockerfile', TARGETED);
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  test('compose: a service building a target', () => {
    write(
      'compose.yaml',
      lines('services:', '  api:', '    build:', '      context: .', '      target: production'),
    );
    assert.deepEqual(notes(cli(['lint', '--verbose', 'Dockerfile']).stderr), [
      'Dockerfile: built by service api in compose.yaml:5: target production',
    ]);
  });

  test("compose: a Dockerfile named from $PWD, the compose file's folder", () => {
    write('example/Dockerfile', TARGETED);
    write(
      'example/docker-compose.yml',
      lines(
        'services:',
        '  api:',
        '    build:',
        '      context: ../',
        '      dockerfile: $PWD/Dockerfile',
        '      target: production',
      ),
    );
    assert.deepEqual(notes(cli(['lint', '--verbose', 'example/Dockerfile']).stderr), [
      'example/Dockerfile: built by service api in example/docker-compose.yml:6: target production',
    ]);
  });

  test('a Docker container action: built by GitHub from its folder, and run as root by design', () => {
    write(
      'action/Dockerfile',
      lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -o /out/run-action .',
        'FROM gcr.io/distroless/static-debian13',
        'COPY --from=build /out/run-action /run-action',
        'ENTRYPOINT ["/run-action"]',
      ),
    );
    write(
      'action/action.yml',
      lines('name: Run', 'runs:', '  using: docker', '  image: Dockerfile', '  args: [x]'),
    );
    const rules = (args: string[]) =>
      (
        JSON.parse(cli(['lint', '--format', 'json', ...args]).stdout) as {
          diagnostics: { rule: string }[];
        }[]
      )[0].diagnostics.map((d) => d.rule);
    assert.deepEqual(notes(cli(['lint', '--verbose', 'action/Dockerfile']).stderr), [
      'action/Dockerfile: built by Docker container action in action/action.yml:4: the last stage',
    ]);
    assert.ok(!rules(['action/Dockerfile']).includes('final-stage-runs-as-root'));
    // The same Dockerfile without the action runs as root by mistake.
    rmSync(join(repo, 'action/action.yml'));
    assert.ok(rules(['action/Dockerfile']).includes('final-stage-runs-as-root'));
  });

  test("compose services' container ports say where the program listens, over its sources", () => {
    write('go.mod', 'module example.com/app\n\ngo 1.24\n');
    write(
      'main.go',
      lines(
        'package main',
        'import ("net/http"; "os")',
        'func main() {',
        '\taddr := ":80"',
        '\tif p := os.Getenv("HTTP_PORT"); p != "" { addr = ":" + p }',
        '\thttp.ListenAndServe(addr, nil)',
        '}',
      ),
    );
    write(
      'Dockerfile',
      lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'CMD ["/app"]',
      ),
    );
    const root = () =>
      (
        JSON.parse(cli(['lint', '--format', 'json', 'Dockerfile']).stdout) as {
          diagnostics: { rule: string; severity: string; detail?: string; fixes: unknown[] }[];
        }[]
      )[0].diagnostics.find((d) => d.rule === 'final-stage-runs-as-root');
    const compose = (ports: string[]) =>
      write(
        'compose.yml',
        lines(
          'services:',
          '  app:',
          '    build: .',
          '    environment: { HTTP_PORT: "8080" }',
          '    ports:',
          ...ports.map((p) => `      - ${p}`),
        ),
      );
    // Alone, the sources' ":80" says the program needs root to bind it.
    assert.equal(root()?.severity, 'info');
    assert.match(root()?.detail ?? '', /port 80 \(main\.go:4\)/);
    // The service runs it on 8080: the ":80" is a default it is not given.
    compose(['"8080:8080"', '"127.0.0.1:9090:9090/tcp"']);
    assert.equal(root()?.severity, 'warning');
    assert.equal(root()?.fixes.length, 1);
    // A service that maps to the container's port 80 says the program listens there.
    compose(['"8080:80"']);
    assert.equal(root()?.severity, 'info');
    assert.match(root()?.detail ?? '', /port 80 \(compose\.yml:5, service app\)/);
    // A port left to a variable says nothing.
    compose(['"${PORT}:${PORT}"']);
    assert.match(root()?.detail ?? '', /port 80 \(main\.go:4\)/);
  });

  test('a Taskfile task and a justfile recipe that build a target', () => {
    write(
      'Taskfile.yml',
      lines(
        "version: '3'",
        'tasks:',
        '  image:',
        '    cmds:',
        '      - docker build --target production .',
      ),
    );
    write(
      'justfile',
      lines('bin:', '    docker build --target binary --output type=local,dest=out .'),
    );
    assert.deepEqual(notes(cli(['lint', '--verbose', 'Dockerfile']).stderr), [
      'Dockerfile: built by task image: docker build in Taskfile.yml:5: target production',
      'Dockerfile: built by recipe bin: docker build in justfile:2: target binary, exported as files',
    ]);
  });

  test('the findings follow the stage that ships', () => {
    const rulesOf = (args: string[]) =>
      (
        JSON.parse(cli(['lint', '--format', 'json', ...args, 'Dockerfile']).stdout) as {
          diagnostics: { rule: string; range: { start: { line: number } } }[];
        }[]
      )[0].diagnostics
        .filter((d) => ['go-toolchain-in-final-stage', 'unreachable-stage'].includes(d.rule))
        .map((d) => `${d.rule}:${d.range.start.line + 1}`);
    assert.deepEqual(rulesOf([]), [
      'unreachable-stage:6',
      'unreachable-stage:9',
      'go-toolchain-in-final-stage:13',
    ]);
    write('compose.yaml', lines('services:', '  api:', '    build:', '      target: production'));
    write(
      'Makefile',
      lines('bin:', '\tdocker build --output type=local,dest=out --target binary .'),
    );
    assert.deepEqual(rulesOf([]), []);
    // --target wins: the dev stage is checked as an image again.
    assert.deepEqual(rulesOf(['--target', 'dev']), ['go-toolchain-in-final-stage:13']);
    write(
      '.go-multistage.json',
      JSON.stringify({ targets: ['dev'], rules: { 'go-toolchain-in-final-stage': 'off' } }),
    );
    assert.deepEqual(rulesOf([]), []);
    assert.deepEqual(rulesOf(['--rule', 'go-toolchain-in-final-stage=info']), [
      'go-toolchain-in-final-stage:13',
    ]);
  });

  test('Bake: targets of docker-bake.hcl and docker-bake.json', () => {
    write(
      'docker-bake.hcl',
      lines(
        'target "image" {',
        '  target = "production"',
        '  platforms = ["linux/amd64", "linux/arm64"]',
        '}',
        'target "bin" {',
        '  target = "binary"',
        '  output = ["type=local,dest=out"]',
        '}',
      ),
    );
    write(
      'build/docker-bake.json',
      JSON.stringify({ target: { dev: { context: '..', target: 'dev' } } }),
    );
    assert.deepEqual(notes(cli(['lint', '--verbose', 'Dockerfile']).stderr), [
      'Dockerfile: built by target image in docker-bake.hcl:1: target production, for linux/amd64,linux/arm64',
      'Dockerfile: built by target bin in docker-bake.hcl:5: target binary, exported as files',
      'Dockerfile: built by target dev in build/docker-bake.json:1: target dev',
    ]);
  });

  test('Bake: an output from a function of the file is read; one not read ships nothing', () => {
    const rootFindings = () =>
      (
        JSON.parse(cli(['lint', '--format', 'json', 'Dockerfile']).stdout) as {
          diagnostics: { rule: string; range: { start: { line: number } } }[];
        }[]
      )[0].diagnostics
        .filter((d) => d.rule === 'final-stage-runs-as-root')
        .map((d) => d.range.start.line + 1);
    write(
      'Dockerfile',
      lines(
        'FROM golang:1.24 AS build',
        'COPY . .',
        TARGETED.split('\n')[3],
        'FROM scratch AS binary',
        'COPY --from=build /out/app /app',
      ),
    );
    const bake = (output: string) =>
      write(
        'docker-bake.hcl',
        lines(
          'function "bindir" {',
          '  params = [d]',
          '  result = "./bin/${d}"',
          '}',
          'target "binaries" {',
          '  target = "binary"',
          `  output = [${output}]`,
          '}',
        ),
      );
    bake('"type=image"');
    assert.deepEqual(rootFindings(), [4]);
    bake('bindir("build")');
    assert.deepEqual(rootFindings(), []);
    assert.deepEqual(notes(cli(['lint', '--verbose', 'Dockerfile']).stderr), [
      'Dockerfile: built by target binaries in docker-bake.hcl:5: target binary, exported as files',
    ]);
    bake('outdir("build")');
    assert.deepEqual(rootFindings(), []);
    assert.deepEqual(notes(cli(['lint', '--verbose', 'Dockerfile']).stderr), [
      'Dockerfile: built by target binaries in docker-bake.hcl:5: target binary, output unknown (not taken as an image)',
    ]);
  });

  test('Makefile, scripts and CI files; a build of another Dockerfile is not this one’s', () => {
    write(
      'Makefile',
      lines(
        'binaries:',
        '\tdocker buildx build --output ./bin --target binary .',
        'other:',
        '\tdocker build -f other/Dockerfile .',
      ),
    );
    write(
      'scripts/release.sh',
      lines('#!/bin/sh', 'cd "$(dirname "$0")/.."', 'docker build --target production .'),
    );
    write(
      '.github/workflows/ci.yml',
      lines(...PRODUCTION_WORKFLOW, '          platforms: linux/amd64'),
    );
    write('.gitlab-ci.yml', lines('test:', '  script:', '    - docker build --target dev .'));
    assert.deepEqual(notes(cli(['lint', '--verbose', 'Dockerfile']).stderr), [
      'Dockerfile: built by job test: docker build in .gitlab-ci.yml:3: target dev',
      'Dockerfile: built by docker buildx build in target binaries in Makefile:2: target binary, exported as files',
      'Dockerfile: built by job image, step 1 in .github/workflows/ci.yml:8: target production, for linux/amd64',
      'Dockerfile: built by docker build in scripts/release.sh:3: target production',
    ]);
  });

  test('a Makefile path made absolute from its folder is found after the recipe’s cd', () => {
    write('hack/build-image/Dockerfile', TARGETED);
    write(
      'Makefile',
      lines(
        'BUILDER_DOCKERFILE ?= hack/build-image/Dockerfile',
        'BUILDER_REALPATH := $(shell realpath $(BUILDER_DOCKERFILE))',
        'build-image:',
        '\tcd hack/build-image && docker build --target production -f $(BUILDER_REALPATH) .',
      ),
    );
    assert.deepEqual(notes(cli(['lint', '--verbose', 'hack/build-image/Dockerfile']).stderr), [
      'hack/build-image/Dockerfile: built by docker build in target build-image in Makefile:4: target production',
    ]);
  });

  test('a project without .git, linted from the folder above it, is read whole', () => {
    // A `git archive` export or a tarball: no .git, and the command runs one folder up.
    rmSync(join(repo, '.git'), { recursive: true });
    write('Dockerfile', TARGETED);
    write('.github/workflows/ci.yml', lines(...PRODUCTION_WORKFLOW));
    const name = basename(repo);
    const expected = [
      `${name}/Dockerfile: built by job image, step 1 in .github/workflows/ci.yml:8: target production`,
    ];
    assert.deepEqual(notes(cli(['lint', '--verbose', name], dirname(repo)).stderr), expected);
    assert.deepEqual(
      notes(cli(['lint', '--verbose', `${name}/Dockerfile`], dirname(repo)).stderr),
      expected,
    );
  });

  test('config file targets, --target winning over them, and problems said once', () => {
    write(
      '.go-multistage.json',
      JSON.stringify({ targets: ['production'], rules: { 'no-such-rule': 'off' } }),
    );
    const run = cli(['lint', '--verbose', 'Dockerfile']);
    assert.deepEqual(notes(run.stderr), [
      `${join(repo, '.go-multistage.json')}: rules: unknown rule "no-such-rule" (left out)`,
      'Dockerfile: no build declared',
      'Dockerfile: stages that ship: production (.go-multistage.json)',
    ]);
    const flagged = cli(['lint', '--verbose', '--target', 'dev', 'Dockerfile']);
    assert.ok(notes(flagged.stderr).includes('Dockerfile: stages that ship: dev (--target)'));
    assert.equal(cli(['lint', '--target', '', 'Dockerfile']).status, 2);
  });

  test('bad build files are skipped with one line under --verbose, silently otherwise', () => {
    write('compose.yaml', 'services: [\n');
    write('docker-bake.hcl', 'target "x" {\n');
    write('Makefile', '\u0000\u0001binary');
    symlinkSync('/dev/zero', join(repo, 'build.sh'));
    const quiet = cli(['lint', 'Dockerfile']);
    assert.equal(quiet.stderr, '');
    const said = notes(cli(['lint', '--verbose', 'Dockerfile']).stderr);
    assert.deepEqual(
      said.filter((l) => l.startsWith('skipped')).map((l) => l.replaceAll(repo, 'REPO')),
      [
        'skipped REPO/Makefile: a binary file',
        'skipped REPO/build.sh: a link to /dev/zero, outside REPO',
        'skipped REPO/compose.yaml: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1: (line 2)',
        'skipped REPO/docker-bake.hcl: not read as HCL: a block is not closed',
      ],
    );
  });

  test('nothing outside the repository root is read', () => {
    const outside = mkdtempSync(join(tmpdir(), 'gm-outside-'));
    try {
      writeFileSync(
        join(outside, 'compose.yaml'),
        'services: { a: { build: { context: ., target: dev } } }\n',
      );
      symlinkSync(join(outside, 'compose.yaml'), join(repo, 'compose.yaml'));
      const said = notes(cli(['lint', '--verbose', 'Dockerfile']).stderr);
      assert.ok(
        said.some((l) => /skipped .*compose\.yaml: a link to .*, outside/.test(l)),
        said.join('\n'),
      );
      assert.ok(said.includes('Dockerfile: no build declared'));
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
