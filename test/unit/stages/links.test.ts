import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel } from '../../../server/src/core';
import { documentLinks } from '../../../server/src/core/stages/links';
import { testContext } from '../../support/context';
import { lines } from '../../support/rule-tester';

const GO_MOD = 'module example.com/shop\n\ngo 1.24\n';
const CONTEXT = testContext(undefined, {
  'go.mod': GO_MOD,
  'config.yaml': 'port: 8080\n',
  'cmd/api/api.go': 'package main\n',
  'cmd/api/main.go': 'package main\n\nvar version = "dev"\n\nfunc main() {}\n',
  'cmd/api/main_test.go': 'package main\n',
  'internal/build/build.go': 'package build\n\n// Commit is stamped.\nvar Commit string\n',
});

function links(text: string) {
  const model = buildModel(text, { goMod: GO_MOD, context: CONTEXT });
  return documentLinks(model).map((l) => [
    model.index.textOf(l.range),
    'documentLine' in l.target
      ? `line ${l.target.documentLine}`
      : `${l.target.contextPath}${l.target.line !== undefined ? `:${l.target.line}` : ''}`,
  ]);
}

const TEXT = lines(
  'FROM golang:1.24 AS build',
  'WORKDIR /src',
  'COPY go.mod ./',
  'COPY . .',
  'RUN go build -ldflags "-X main.version=1.0 -X example.com/shop/internal/build.Commit=abc" -o /out/api ./cmd/api',
  'FROM gcr.io/distroless/static-debian12',
  'COPY config.yaml /etc/shop/config.yaml',
  'COPY --from=build /out/api /api',
  'ENTRYPOINT ["/api"]',
);

describe('document links', () => {
  test('package, -X symbols, -o, COPY sources and the start program', () => {
    assert.deepEqual(links(TEXT), [
      ['go.mod', 'go.mod'],
      ['main.version', 'cmd/api/main.go:2'],
      ['example.com/shop/internal/build.Commit', 'internal/build/build.go:3'],
      ['/out/api', 'line 7'],
      ['./cmd/api', 'cmd/api/main.go'],
      ['config.yaml', 'config.yaml'],
      ['"/api"', 'line 7'],
    ]);
  });

  test('without a build context: only the links inside the Dockerfile', () => {
    const model = buildModel(TEXT, { goMod: GO_MOD });
    assert.deepEqual(
      documentLinks(model).map((l) => model.index.textOf(l.range)),
      ['/out/api', '"/api"'],
    );
  });

  test('a -X name that is not declared, a package that is not there: no link', () => {
    const text = lines(
      'FROM golang:1.24 AS build',
      'WORKDIR /src',
      'COPY . .',
      'RUN go build -ldflags "-X main.missing=1" -o /out/x ./cmd/none',
    );
    assert.deepEqual(links(text), []);
  });

  test('half-typed input gives links or none, never an exception', () => {
    for (const text of ['RUN go build -o', 'FROM x\nCOPY', 'FROM x\nENTRYPOINT ["', '\u0000']) {
      assert.ok(Array.isArray(documentLinks(buildModel(text, { context: CONTEXT }))));
    }
  });
});
