import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel } from '../../../server/src/core';
import { semanticTokens } from '../../../server/src/core/stages/semantic-tokens';
import { lines } from '../../support/rule-tester';

function tokens(text: string) {
  const model = buildModel(text, {});
  const all = text.split('\n');
  return semanticTokens(model).map((t) => [
    t.line,
    all[t.line].slice(t.character, t.character + t.length),
    t.type,
    t.modifiers.join(','),
  ]);
}

describe('semantic tokens', () => {
  test('stage names declared and referenced, told from images; ARGs; go build parts', () => {
    const text = lines(
      'ARG GO_VERSION=1.24',
      'FROM golang:${GO_VERSION} AS build',
      'RUN CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /out/app ./cmd/app',
      'FROM build AS test',
      'FROM alpine:3.20',
      'COPY --from=build /out/app /app',
      'COPY --from=nginx:1 /etc/nginx /etc/nginx',
    );
    assert.deepEqual(tokens(text), [
      [0, 'GO_VERSION', 'variable', 'declaration,readonly'],
      [1, 'GO_VERSION', 'variable', 'readonly'],
      [1, 'build', 'class', 'declaration'],
      [2, '-trimpath', 'parameter', ''],
      [2, '-ldflags', 'parameter', ''],
      [2, '-o', 'parameter', ''],
      [2, './cmd/app', 'namespace', ''],
      [3, 'build', 'class', ''],
      [3, 'test', 'class', 'declaration'],
      [5, 'build', 'class', ''],
    ]);
  });

  test('tokens never overlap and each stays on one line', () => {
    const text = lines(
      'FROM golang:1.24 AS build',
      'ENV PKG=./cmd/app',
      'RUN go build -o /out/app \\',
      '    ${PKG}',
    );
    const found = semanticTokens(buildModel(text, {}));
    for (let i = 1; i < found.length; i++) {
      const a = found[i - 1];
      const b = found[i];
      assert.ok(b.line > a.line || b.character >= a.character + a.length, JSON.stringify([a, b]));
    }
  });

  test('half-typed input: tokens or none, never an exception', () => {
    for (const text of ['FROM', 'FROM x AS', 'COPY --from=', 'RUN go build -', 'ARG', '\u0000'])
      assert.ok(Array.isArray(semanticTokens(buildModel(text, {}))));
  });
});
