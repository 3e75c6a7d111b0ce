import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel } from '../../../server/src/core';
import { stageCompletions } from '../../../server/src/core/stages/completion';
import { MAX_PACKAGE_DIRECTORIES } from '../../../server/src/core/stages/go-completion';
import { applyEdits } from '../../../server/src/core/text/edits';
import type { AnalyzeOptions } from '../../../server/src/core/types';
import { testContext } from '../../support/context';
import { lines } from '../../support/rule-tester';

const GO_MOD = 'module example.com/app\n\ngo 1.24.5\n';

/** Completions at the `|` in the text. */
function complete(marked: string, options: AnalyzeOptions = {}) {
  const at = marked.indexOf('|');
  const text = marked.slice(0, at) + marked.slice(at + 1);
  const before = text.slice(0, at).split(/\r\n|\n/);
  const position = { line: before.length - 1, character: before[before.length - 1].length };
  const items = stageCompletions(buildModel(text, options), position, options.goMod);
  return {
    labels: items.map((i) => i.label),
    items,
    apply: (label: string) => {
      const item = items.find((i) => i.label === label);
      assert.ok(item, `no item ${label}`);
      return applyEdits(text, [{ range: item.range, newText: item.newText }]);
    },
  };
}

describe('completion of ARG and ENV names after $ and ${', () => {
  const TEXT = lines(
    'ARG GO_VERSION=1.24.5',
    'ARG APP=server',
    'FROM golang:${GO|} AS build',
    'ARG VERSION=dev',
    'ENV CGO_ENABLED=0',
    'RUN echo ${|}',
  );

  test('in FROM: the global ARGs only, closing the brace that is already there', () => {
    const { labels, apply } = complete(TEXT);
    assert.deepEqual(labels.sort(), ['APP', 'GO_VERSION']);
    assert.match(apply('GO_VERSION'), /FROM golang:\$\{GO_VERSION\} AS build/);
  });

  test('in a stage: its ARGs and ENVs, not the global ARGs it has not declared', () => {
    const text = TEXT.replace('${GO|}', '${GO_VERSION}');
    const { labels, items } = complete(text);
    assert.deepEqual(labels.sort(), ['CGO_ENABLED', 'VERSION']);
    assert.equal(items.find((i) => i.label === 'VERSION')?.detail, 'ARG = dev');
    assert.equal(items.find((i) => i.label === 'CGO_ENABLED')?.detail, 'ENV = 0');
  });

  test('an unclosed ${ gets its brace; $NAME gets none; ENV is inherited by a child stage', () => {
    const text = lines(
      'FROM golang:1.24.5 AS build',
      'ENV GOFLAGS=-trimpath',
      'FROM build AS test',
      'RUN echo ${GOF|',
    );
    assert.match(complete(text).apply('GOFLAGS'), /RUN echo \$\{GOFLAGS\}$/m);
    const bare = text.replace('${GOF|', '$GOF|');
    assert.match(complete(bare).apply('GOFLAGS'), /RUN echo \$GOFLAGS$/m);
  });

  test("a parent stage's ARGs are offered in a child stage, not in a stage that copies from it", () => {
    const text = lines(
      'FROM golang:1.24.5 AS base',
      'ARG TARGETARCH',
      'FROM base AS build',
      'RUN echo $TARG|',
    );
    assert.match(complete(text).apply('TARGETARCH'), /RUN echo \$TARGETARCH$/m);
    const copying = text.replace('FROM base AS build', 'FROM golang:1.24.5 AS build');
    assert.deepEqual(complete(copying).labels, []);
  });

  test('names declared after the cursor and an escaped \\$ offer nothing', () => {
    const text = lines('FROM golang:1.24.5', 'RUN echo \\$|', 'ARG LATER=1');
    assert.deepEqual(complete(text).labels, []);
    assert.deepEqual(
      complete(lines('FROM golang:1.24.5', 'RUN echo $|', 'ARG LATER=1')).labels,
      [],
    );
  });
});

describe('completion of main packages after go build and go install', () => {
  const CONTEXT = testContext(undefined, {
    'go.mod': GO_MOD,
    'go.sum': '',
    'cmd/server/main.go': 'package main\n\nfunc main() {}\n',
    'cmd/worker/main.go': '// Command worker.\npackage main\n',
    'cmd/worker/main_test.go': 'package main\n',
    'internal/store/store.go': 'package store\n',
    'tools/gen/gen.go': '//go:build ignore\n\npackage main\n',
    'vendor/x/y/main.go': 'package main\n',
    'main.go': 'package main\n',
  });
  const options = { goMod: GO_MOD, context: CONTEXT };
  const STAGE = ['FROM golang:1.24.5 AS build', 'WORKDIR /src', 'COPY . .'];

  test('the module main packages, relative to where go.mod was copied', () => {
    const { labels, apply } = complete(lines(...STAGE, 'RUN go build -o /out/app ./|'), options);
    // tools/gen is `//go:build ignore`: go build ./tools/gen would fail.
    assert.deepEqual(labels, ['.', './cmd/server', './cmd/worker']);
    assert.match(apply('./cmd/server'), /go build -o \/out\/app \.\/cmd\/server$/m);
    assert.deepEqual(
      complete(lines(...STAGE, 'RUN CGO_ENABLED=0 go install |'), options).labels.length,
      3,
    );
  });

  test('not as the value of a flag, not after other go commands, not without a context', () => {
    assert.deepEqual(complete(lines(...STAGE, 'RUN go build -o |'), options).labels, []);
    assert.deepEqual(complete(lines(...STAGE, 'RUN go test ./|'), options).labels, []);
    assert.deepEqual(complete(lines(...STAGE, 'RUN go build ./|'), { goMod: GO_MOD }).labels, []);
    // go.mod not copied into the stage: where ./ points is unknown.
    assert.deepEqual(complete(lines('FROM golang:1.24.5', 'RUN go build ./|'), options).labels, []);
  });

  test('reads at most a bounded number of folders', () => {
    const contents: Record<string, string> = { 'go.mod': GO_MOD };
    for (let i = 0; i < MAX_PACKAGE_DIRECTORIES + 50; i++)
      contents[`cmd/c${String(i).padStart(4, '0')}/main.go`] = 'package main\n';
    let reads = 0;
    const context = testContext(undefined, contents)!;
    const read = context.readFile!;
    context.readFile = (path) => {
      reads++;
      return read(path);
    };
    const { labels } = complete(lines(...STAGE, 'RUN go build |'), { goMod: GO_MOD, context });
    assert.equal(labels.length, MAX_PACKAGE_DIRECTORIES);
    // One Go file per folder, and the go.mod the analysis reads.
    assert.ok(reads <= MAX_PACKAGE_DIRECTORIES + 1, `read ${reads} files`);
  });
});
