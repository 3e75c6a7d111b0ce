import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel } from '../../server/src/core';
import { buildTool } from '../../server/src/core/facts/build-tools';
import {
  commandLabel,
  goCommands,
  goCommandsAndTools,
  toolBuilds,
} from '../../server/src/core/facts/go-commands';
import { parseScript } from '../../server/src/core/model/shell';
import { lines } from '../support/rule-tester';

/** Each command of a script as `? words` (conditional) or `  words`. */
function marks(script: string): string[] {
  return parseScript(script).commands.map(
    (c) => `${c.conditional ? '?' : ' '} ${c.words.map((w) => w.text).join(' ')}`,
  );
}

describe('commands that run conditionally', () => {
  const table: [string, string[]][] = [
    ['[ -f prebuilt ] || go build', ['  [ -f prebuilt ]', '? go build']],
    ['test -f bin/app || make build', ['  test -f bin/app', '? make build']],
    [
      '[ ! -f bin/app ] && go build -o bin/app .',
      ['  [ ! -f bin/app ]', '? go build -o bin/app .'],
    ],
    ['apk add git && go build', ['  apk add git', '  go build']],
    ['go build || exit 1; go vet', ['  go build', '? exit 1', '  go vet']],
    ['[ t ] || a && go build', ['  [ t ]', '? a', '  go build']],
    ['[ t ] && a && go build', ['  [ t ]', '? a', '? go build']],
    ['[ t ] && a || go build', ['  [ t ]', '? a', '? go build']],
    [
      'if [ ! -f x ]; then go build -o x .; else echo kept; fi; go vet',
      ['  [ ! -f x ]', '? go build -o x .', '? echo kept', '  go vet'],
    ],
    [
      'if [ -z "$X" ]\nthen\n  go build\nelif true\nthen\n  make\nfi\ngo test',
      ['  [ -z ${X} ]', '? go build', '? true', '? make', '  go test'],
    ],
    [
      '[ -f a ] || { go mod download && go build; }; echo',
      ['  [ -f a ]', '? go mod download', '? go build', '  echo'],
    ],
    ['[ -f a ] || (cd x && go build) && ls', ['  [ -f a ]', '? cd x', '? go build', '  ls']],
    [
      'case "$TARGETARCH" in arm) go build;; esac; go vet',
      ['  case ${TARGETARCH} in arm', '? go build', '  go vet'],
    ],
    ['for d in a b; do go build ./$d; done', ['  for d in a b', '  go build ./${d}']],
    ['while read x; do go build; done', ['  read x', '? go build']],
    ['[ -f bin/app ] && exit 0; go build', ['  [ -f bin/app ]', '? exit 0', '? go build']],
    ['(test -f x && exit 0); go build', ['  test -f x', '? exit 0', '  go build']],
    ['command -v upx && upx app', ['  command -v upx', '? upx app']],
  ];
  for (const [script, expected] of table) {
    test(JSON.stringify(script), () => assert.deepEqual(marks(script), expected));
  }

  test('a script that runs conditionally makes all its commands conditional', () => {
    assert.deepEqual(
      parseScript('go build', true).commands.map((c) => c.conditional),
      [true],
    );
    const model = buildModel(
      lines('FROM golang:1.24', 'WORKDIR /src', `RUN [ -f app ] || sh -c 'go build -o app .'`),
    );
    assert.deepEqual(
      goCommands(model.stages[0]).map((c) => c.conditional),
      [true],
    );
  });

  test('go commands carry whether they run conditionally', () => {
    const model = buildModel(
      lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'RUN go mod download',
        'RUN if [ ! -f bin/app ]; then go build -o bin/app .; fi',
      ),
    );
    assert.deepEqual(
      goCommands(model.stages[0]).map((c) => [c.invocation.subcommand, c.conditional]),
      [
        ['mod', false],
        ['build', true],
      ],
    );
  });
});

describe('build tools that run go', () => {
  test('the tool a command runs', () => {
    const tool = (script: string) => buildTool(parseScript(script).commands[0]);
    assert.equal(tool('make build'), 'make');
    assert.equal(tool('./scripts/build.sh linux'), './scripts/build.sh');
    assert.equal(tool('bash hack/build.sh'), 'bash hack/build.sh');
    assert.equal(tool('build.sh'), undefined);
    assert.equal(tool('go build'), undefined);
  });

  test('make in a golang stage stands for a go build, in its environment and directory', () => {
    const model = buildModel(
      lines(
        'FROM golang:1.24',
        'ENV GOPATH=/gopath',
        'WORKDIR /src',
        'COPY . .',
        'RUN export GOCACHE=/tmp/gocache && CGO_ENABLED=0 make -C cmd/app build',
      ),
    );
    const [make] = toolBuilds(model, model.stages[0]);
    assert.equal(make.tool, 'make');
    assert.equal(commandLabel(make), 'make');
    assert.equal(make.invocation.subcommand, 'build');
    assert.equal(make.invocation.cwd, '/src/cmd/app');
    assert.equal(make.invocation.env.get('GOPATH'), '/gopath');
    assert.equal(make.invocation.env.get('GOCACHE'), '/tmp/gocache');
    assert.equal(make.invocation.env.get('CGO_ENABLED'), '0');
    assert.deepEqual(make.invocation.inlineNames, ['CGO_ENABLED']);
  });

  test('not followed in a stage without the go command', () => {
    const model = buildModel(lines('FROM debian:12', 'COPY . /src', 'RUN make -C /src install'));
    assert.deepEqual(toolBuilds(model, model.stages[0]), []);
  });

  test('followed in a stage of an unknown image that runs go', () => {
    const model = buildModel(
      lines(
        'FROM example.com/go-builder:1',
        'WORKDIR /src',
        'COPY . .',
        'RUN go vet ./... && make',
      ),
    );
    assert.deepEqual(goCommandsAndTools(model, model.stages[0]).map(commandLabel), [
      'go vet',
      'make',
    ]);
  });

  test('a script only when the build context shows it runs go', () => {
    const files: Record<string, string> = {
      'go.mod': 'module example.com/app\n',
      'scripts/build.sh': '#!/bin/sh\nset -e\nCGO_ENABLED=0 go build -o /out/app ./cmd/app\n',
      'scripts/extensions.sh': '#!/bin/sh\ngcc -shared -o ext.so ext.c\n',
    };
    const model = buildModel(
      lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN ./scripts/build.sh',
        'RUN sh scripts/extensions.sh',
        'RUN ./scripts/unknown.sh',
      ),
      { context: { files: Object.keys(files), readFile: (path) => files[path] } },
    );
    assert.deepEqual(toolBuilds(model, model.stages[0]).map(commandLabel), ['./scripts/build.sh']);
  });

  test('a Makefile the context shows that never runs go is not a Go build', () => {
    const files: Record<string, string> = {
      Makefile: 'all:\n\tnpm ci && npm run build\n',
      'cmd/Makefile': 'build:\n\t$(GO) build -o app .\n',
    };
    const model = buildModel(
      lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN make', 'RUN make -C cmd build'),
      { context: { files: Object.keys(files), readFile: (path) => files[path] } },
    );
    assert.deepEqual(
      toolBuilds(model, model.stages[0]).map((c) => c.invocation.cwd),
      ['/src/cmd'],
    );
  });
});
