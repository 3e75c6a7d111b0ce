import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel } from '../../../server/src/core';
import { usesOf, variableAt } from '../../../server/src/core/stages/variable-sites';
import { lines } from '../../support/rule-tester';
import { positionOf, textAt } from './positions';

describe('variable sites', () => {
  const TEXT = lines(
    'FROM golang:1.24 AS base',
    'ARG TARGETARCH',
    'ENV CGO_ENABLED=0',
    'FROM base AS build',
    'RUN GOARCH=$TARGETARCH CGO=$CGO_ENABLED go build -o /out/app .',
    'FROM golang:1.24 AS other',
    'COPY --from=build /out/app /app',
    'RUN echo $TARGETARCH',
  );

  test("a use in a child stage binds to the parent's ARG, as it binds to its ENV", () => {
    const model = buildModel(TEXT);
    const arg = variableAt(model, positionOf(TEXT, '$TARGETARCH', 0, 1));
    assert.equal(arg?.declaration?.kind, 'arg');
    assert.equal(arg?.declaration?.instruction.getRange().start.line, 1);
    const env = variableAt(model, positionOf(TEXT, '$CGO_ENABLED', 0, 1));
    assert.equal(env?.declaration?.kind, 'env');
  });

  test('a stage that only copies from it does not see the ARG', () => {
    const model = buildModel(TEXT);
    const use = variableAt(model, positionOf(TEXT, '$TARGETARCH', 1, 1));
    assert.ok(use?.use);
    assert.equal(use.declaration, undefined);
    const declaration = variableAt(model, positionOf(TEXT, 'TARGETARCH', 0))?.declaration;
    assert.ok(declaration);
    assert.deepEqual(
      usesOf(model, declaration).map((u) => `${u.range.start.line} ${textAt(TEXT, u.range)}`),
      ['4 TARGETARCH'],
    );
  });
});
