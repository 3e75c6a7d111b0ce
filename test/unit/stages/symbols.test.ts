import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel } from '../../../server/src/core';
import { outline, type OutlineSymbol } from '../../../server/src/core/stages/symbols';
import { lines } from '../../support/rule-tester';
import { textAt } from './positions';

function tree(symbols: OutlineSymbol[], depth = 0): string[] {
  return symbols.flatMap((s) => [
    `${'  '.repeat(depth)}${s.kind === 'instruction' ? s.keyword : s.kind}: ${s.name}${s.detail ? ` (${s.detail})` : ''}`,
    ...tree(s.children, depth + 1),
  ]);
}

describe('outline', () => {
  test('global ARGs at the top, stages with their base image and instructions', () => {
    const text = lines(
      '# syntax=docker/dockerfile:1',
      'ARG GO_VERSION=1.24.5',
      'ARG TARGETOS',
      'FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build',
      'WORKDIR /src',
      'RUN --mount=type=cache,target=/go/pkg/mod \\',
      '    CGO_ENABLED=0 GOOS=$TARGETOS go build -trimpath -ldflags="-s -w" -o /out/server ./cmd/server',
      'FROM gcr.io/distroless/static-debian13:nonroot',
      'COPY --from=build /out/server /server',
      'ENTRYPOINT ["/server"]',
    );
    const symbols = outline(buildModel(text));
    assert.deepEqual(tree(symbols), [
      'global-arg: GO_VERSION (1.24.5)',
      'global-arg: TARGETOS',
      'stage: build (golang:${GO_VERSION} --platform=$BUILDPLATFORM)',
      '  WORKDIR: WORKDIR /src',
      '  RUN: RUN --mount=type=cache,target=/go/pkg/mod CGO_ENABLED=0…',
      'stage: stage 1 (gcr.io/distroless/static-debian13:nonroot)',
      '  COPY: COPY --from=build /out/server /server',
      '  ENTRYPOINT: ENTRYPOINT ["/server"]',
    ]);
    const [, , build, runtime] = symbols;
    assert.equal(textAt(text, build.selectionRange), 'build');
    assert.equal(build.range.start.line, 3);
    assert.equal(build.range.end.line, 6);
    assert.equal(textAt(text, runtime.selectionRange), 'gcr.io/distroless/static-debian13:nonroot');
    assert.ok(build.name.length > 0 && runtime.children.every((c) => c.name.length > 0));
  });

  test('heredoc bodies stay out of the label', () => {
    const text = lines('FROM golang:1.24', 'RUN <<EOF', 'go build -o /app .', 'EOF');
    const [stage] = outline(buildModel(text));
    assert.equal(stage.children[0].name, 'RUN <<EOF');
  });

  test('a file with no stages has only its ARGs; an empty file nothing', () => {
    assert.deepEqual(tree(outline(buildModel(lines('ARG A=1 B')))), [
      'global-arg: A (1)',
      'global-arg: B',
    ]);
    assert.deepEqual(outline(buildModel('')), []);
  });

  test('half-typed FROM still gives a named node', () => {
    assert.deepEqual(tree(outline(buildModel('FROM\n'))), ['stage: stage 0']);
  });

  test('CRLF: the same tree and ranges on the same lines', () => {
    const text = lines('FROM golang:1.24 AS build', 'RUN go build \\', '  -o /app .');
    const lf = outline(buildModel(text));
    const crlf = outline(buildModel(text.replace(/\n/g, '\r\n')));
    assert.deepEqual(tree(crlf), tree(lf));
    assert.deepEqual(crlf[0].range, lf[0].range);
    assert.equal(crlf[0].children[0].name, 'RUN go build -o /app .');
  });
});
