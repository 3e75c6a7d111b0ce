// Start commands set outside the Dockerfile (compose `command:` and `entrypoint:`): read from
// compose files, carried to the analysis with the builds, and followed by the toolchain rule
// (a service that runs `go test` in the image needs the toolchain) and by the conversion (it
// refuses what the runtime stage could not run, and takes a runtime with a shell for `sh -c`).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze, buildModel, convertToMultiStage } from '../../server/src/core';
import type { AnalyzeOptions, ProjectBuild, StartOverride } from '../../server/src/core/types';
import { parseBuildFile } from '../../server/src/project';
import { splitCommand } from '../../server/src/project/compose';
import { main, type Io } from '../../server/src/cli/main';
import { rewriteFile } from '../../server/src/node/file-rewrite';
import { serviceChecks } from '../../server/src/core/facts/start-overrides';
import { lines } from '../support/rule-tester';

const SERVER = lines(
  'FROM golang:1.27',
  'WORKDIR /app',
  'COPY go.mod ./',
  'RUN go mod download',
  'COPY . .',
  'RUN go build -o server .',
  'EXPOSE 8080',
  'CMD ["./server"]',
);

function composeRuns(text: string) {
  const parsed = parseBuildFile('compose', 'compose.yaml', text);
  assert.ok(parsed.ok);
  return parsed.builds.map((b) => ({ label: b.label, runs: b.runs }));
}

function withRuns(...runs: StartOverride[]): AnalyzeOptions {
  const build: ProjectBuild = {
    source: { kind: 'compose', file: 'compose.yaml', line: 2, label: 'service app' },
    output: 'image',
    runs,
  };
  return { builds: [build] };
}

const run = (fields: Partial<StartOverride>): StartOverride => ({
  label: 'service tests',
  file: 'compose.yaml',
  line: 6,
  ...fields,
});

function convert(text: string, options: AnalyzeOptions) {
  return convertToMultiStage(buildModel(text, options));
}

describe('compose: what services start', () => {
  test('splits a command string as compose does: quotes group, shell operators are words', () => {
    assert.deepEqual(splitCommand(`sh -c "sleep 3 && ./server" 'a b'`), [
      'sh',
      '-c',
      'sleep 3 && ./server',
      'a b',
    ]);
    assert.deepEqual(splitCommand('./wait && ./server'), ['./wait', '&&', './server']);
    assert.deepEqual(splitCommand(String.raw`echo a\ b "c\"d"`), ['echo', 'a b', 'c"d']);
    assert.equal(splitCommand('sh -c "open'), undefined);
  });

  test("a building service's own command and entrypoint, and those of services running its image", () => {
    const found = composeRuns(
      lines(
        'services:',
        '  app:',
        '    build: .',
        '    image: blog:${TAG:-dev}',
        '    command: ["./server", "--port", "${PORT:-8080}"]',
        '  tests:',
        '    image: blog:dev',
        '    entrypoint: go',
        '    command: test ./...',
        '  other:',
        '    image: postgres:17',
        '    command: postgres -c fsync=off',
        '  worker:',
        '    build: ./worker',
        '    command: $$HOME/run ${MODE}',
        '  plain:',
        '    build: ./plain',
      ),
    );
    assert.deepEqual(found, [
      {
        label: 'service app',
        runs: [
          { label: 'service app', line: 4, command: ['./server', '--port', '8080'] },
          { label: 'service tests', line: 8, entrypoint: ['go'], command: ['test', './...'] },
        ],
      },
      // A variable without a default: the command is not known.
      { label: 'service worker', runs: [{ label: 'service worker', line: 14, command: null }] },
      { label: 'service plain', runs: undefined },
    ]);
  });
});

describe('the toolchain rule follows what services start', () => {
  const toolchainFindings = (options: AnalyzeOptions) =>
    analyze(SERVER, options).filter((d) => d.rule === 'go-toolchain-in-final-stage');

  test('silent when a service runs the toolchain in the image (go test, through sh -c too)', () => {
    assert.equal(toolchainFindings({}).length, 1);
    assert.equal(toolchainFindings(withRuns(run({ command: ['./server', '-v'] }))).length, 1);
    assert.equal(toolchainFindings(withRuns(run({ command: ['go', 'test', './...'] }))).length, 0);
    assert.equal(
      toolchainFindings(withRuns(run({ command: ['sh', '-c', 'cd /app && exec air'] }))).length,
      0,
    );
    assert.equal(
      toolchainFindings(withRuns(run({ entrypoint: ['go'], command: ['test', './...'] }))).length,
      0,
    );
  });

  test('a command alone is only arguments to an ENTRYPOINT that names a program', () => {
    const withEntrypoint = SERVER.replace('CMD ["./server"]', 'ENTRYPOINT ["./server"]');
    const options = withRuns(run({ command: ['go', 'test'] }));
    assert.equal(
      analyze(withEntrypoint, options).filter((d) => d.rule === 'go-toolchain-in-final-stage')
        .length,
      1,
    );
    // Behind an init wrapper, the command is what runs.
    const wrapped = SERVER.replace('CMD ["./server"]', 'ENTRYPOINT ["tini", "--"]');
    assert.equal(
      analyze(wrapped, options).filter((d) => d.rule === 'go-toolchain-in-final-stage').length,
      0,
    );
  });
});

describe('the conversion keeps what services start working, or refuses', () => {
  test('the toolchain, an unknown command, a program the runtime lacks: refused with the service', () => {
    const toolchain = convert(SERVER, withRuns(run({ command: ['go', 'test', '-v', './...'] })));
    assert.equal(toolchain.ok, false);
    assert.match(
      toolchain.ok ? '' : toolchain.reason,
      /^service tests in compose\.yaml:7 runs `go test -v \.\/\.\.\.` in this image, so it needs the Go toolchain at run time/,
    );
    const unknown = convert(SERVER, withRuns(run({ command: null })));
    assert.match(unknown.ok ? '' : unknown.reason, /left to a variable/);
    const migrate = convert(SERVER, withRuns(run({ command: ['migrate', '-path', '/m', 'up'] })));
    assert.match(
      migrate.ok ? '' : migrate.reason,
      /^service tests in compose\.yaml:7 runs migrate \(`migrate -path \/m up`\), which the runtime stage would not have/,
    );
    const script = convert(SERVER, withRuns(run({ command: ['sh', './run.sh'] })));
    assert.match(script.ok ? '' : script.reason, /runs \.\/run\.sh \(`sh \.\/run\.sh`\)/);
  });

  test('the binary with other arguments converts as before', () => {
    const plain = convert(SERVER, {});
    const other = convert(SERVER, withRuns(run({ command: ['./server', '--migrate'] })));
    assert.ok(plain.ok && other.ok);
    assert.equal(other.text, plain.text);
  });

  test('a shell script: a runtime with a shell, named in the notes; refused on a chosen shell-less one', () => {
    const options = withRuns(run({ command: ['sh', '-c', 'sleep 3 && exec ./server --migrate'] }));
    const result = convert(SERVER, options);
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.match(result.runtimeImage, /^alpine:/);
    assert.ok(
      result.notes.some((n) =>
        n.includes('service tests in compose.yaml:7 runs its command through sh'),
      ),
    );
    const chosen = convertToMultiStage(
      buildModel(SERVER, { ...options, runtimeImage: 'scratch' }),
      {
        runtimeImage: 'scratch',
      },
    );
    assert.equal(chosen.ok, false);
    assert.match(
      chosen.ok ? '' : chosen.reason,
      /runs its command through sh, and scratch has no shell/,
    );
  });
});

describe("compose services' host mounts", () => {
  test('read from volumes: host paths and binds, not named or anonymous volumes', () => {
    const parsed = parseBuildFile(
      'compose',
      'compose.yaml',
      lines(
        'services:',
        '  app:',
        '    build: .',
        '    image: app',
        '    volumes:',
        '      - ./db:/app/db',
        '      - data:/var/lib/app',
        '      - /srv/conf:/etc/app/:ro',
        '      - /cache',
        '      - { type: bind, source: ./uploads, target: /app/uploads }',
        '      - { type: volume, source: logs, target: /var/log/app }',
        '  worker:',
        '    image: app',
        '    volumes: ["~/exports:/exports"]',
        'volumes:',
        '  data: {}',
      ),
    );
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.builds[0].hostMounts, [
      { label: 'service app', line: 4, paths: ['/app/db', '/etc/app', '/app/uploads'] },
      { label: 'service worker', line: 13, paths: ['/exports'] },
    ]);
  });
});

describe("compose services' health checks run in the converted image", () => {
  test('read from test: as an argument list, CMD-SHELL or a string; NONE and disable are none', () => {
    const parsed = parseBuildFile(
      'compose',
      'compose.yaml',
      lines(
        'services:',
        '  app:',
        '    build: .',
        '    image: app',
        '    healthcheck:',
        '      test: ["CMD", "curl", "-f", "http://localhost:8363"]',
        '  worker:',
        '    image: app',
        '    healthcheck:',
        '      test: wget -q -O- http://localhost:8363/health || exit 1',
        '  off:',
        '    image: app',
        '    healthcheck: { test: ["NONE"] }',
      ),
    );
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.builds[0].checks, [
      { label: 'service app', line: 4, exec: ['curl', '-f', 'http://localhost:8363'] },
      {
        label: 'service worker',
        line: 8,
        shell: 'wget -q -O- http://localhost:8363/health || exit 1',
      },
    ]);
  });

  test('the program a check runs stays in the runtime, which then has a shell', () => {
    const text = lines(
      'FROM golang:1.27-alpine',
      'RUN apk add --no-cache sqlite curl',
      'WORKDIR /app',
      'COPY . .',
      'RUN go build -o server .',
      'CMD ["./server"]',
    );
    const build: ProjectBuild = {
      source: { kind: 'compose', file: 'compose.yaml', line: 2, label: 'service app' },
      output: 'image',
      checks: [
        {
          label: 'service app',
          file: 'compose.yaml',
          line: 4,
          exec: ['curl', '-f', 'http://localhost:8363'],
        },
      ],
    };
    const result = convert(text, { builds: [build] });
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.match(result.runtimeImage, /^alpine:/);
    const runtime = result.text.split(/\nFROM /).pop() ?? '';
    assert.match(runtime, /apk add --no-cache[^\n]*curl/);
    const plain = convert(text, {});
    assert.ok(plain.ok);
    assert.doesNotMatch(plain.text.split(/\nFROM /).pop() ?? '', /curl/);
  });
});

describe('the command line reads the services of compose files', () => {
  test('lint and convert follow a service that runs go test in the image', () => {
    const repo = mkdtempSync(join(tmpdir(), 'gms-overrides-'));
    try {
      const write = (path: string, text: string) => {
        mkdirSync(dirname(join(repo, path)), { recursive: true });
        writeFileSync(join(repo, path), text);
      };
      mkdirSync(join(repo, '.git'));
      write('go.mod', 'module example.com/blog\n\ngo 1.27\n');
      write('main.go', 'package main\n\nfunc main() {}\n');
      write('Dockerfile', SERVER);
      write(
        'docker-compose.yml',
        lines(
          'services:',
          '  app:',
          '    build: .',
          '    image: blog',
          '  tests:',
          '    image: blog',
          '    command: go test ./...',
        ),
      );
      let stdout = '';
      let stderr = '';
      const io: Io = {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        cwd: repo,
        readStdin: () => '',
        writeFile: rewriteFile,
        color: false,
      };
      main(['lint', '--format', 'json', 'Dockerfile'], io);
      assert.ok(!stdout.includes('go-toolchain-in-final-stage'), stdout);
      stdout = '';
      assert.notEqual(main(['convert', 'Dockerfile'], io), 0);
      assert.match(
        stderr,
        /service tests in docker-compose\.yml:7 runs `go test \.\/\.\.\.` in this image/,
      );
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe('health checks of compose services', () => {
  test('read once per stage, with their programs and where they are declared', () => {
    const build: ProjectBuild = {
      source: { kind: 'compose', file: 'compose.yaml', line: 2, label: 'service app' },
      output: 'image',
      checks: [
        { label: 'service app', line: 6, shell: 'wget -qO- localhost:8080/health || exit 1' },
        { label: 'service app', line: 9, exec: ['/usr/bin/curl', '-f', 'http://localhost'] },
      ],
    };
    const model = buildModel(SERVER, { builds: [build] });
    const stage = model.finalStage!;
    const checks = serviceChecks(model, stage);
    assert.deepEqual(checks, [
      {
        programs: ['wget', 'exit'],
        shell: true,
        where: 'the healthcheck of service app in compose.yaml:7',
      },
      {
        programs: ['curl'],
        shell: false,
        where: 'the healthcheck of service app in compose.yaml:10',
      },
    ]);
    // The conversion reads them twice (packages, runtime): one reading serves both.
    assert.equal(serviceChecks(model, stage), checks);
  });
});
