import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel } from '../../../server/src/core';
import { inlayHints } from '../../../server/src/core/stages/inlay-hints';
import { lines } from '../../support/rule-tester';

const GO_MOD = 'module example.com/app\n\ngo 1.24.5\n';

function hints(text: string, goMod = GO_MOD) {
  return inlayHints(buildModel(text, { goMod })).map((h) => [
    h.position.line,
    h.position.character,
    h.label,
  ]);
}

describe('inlay hints', () => {
  test('a FROM spelled with ARGs shows the image it resolves to, at the end of the reference', () => {
    const text = lines('ARG GO_VERSION=1.24.5', 'FROM golang:${GO_VERSION}-alpine AS build');
    const found = hints(text);
    assert.deepEqual(found[0], [
      1,
      'FROM golang:${GO_VERSION}-alpine'.length,
      '= golang:1.24.5-alpine',
    ]);
  });

  test('no image hint for a literal FROM or one whose ARG has no default', () => {
    assert.deepEqual(hints(lines('FROM golang:1.24.5', 'RUN echo hi')), [
      [0, 'FROM golang:1.24.5'.length, 'runs as root'],
    ]);
    const text = lines('ARG GO_VERSION', 'FROM golang:${GO_VERSION}', 'RUN echo hi');
    assert.deepEqual(
      hints(text).filter((h) => String(h[2]).startsWith('=')),
      [],
    );
  });

  test('a numeric --from shows the stage name; a named one shows nothing', () => {
    const text = lines(
      'FROM golang:1.24.5 AS build',
      'RUN echo hi',
      'FROM scratch',
      'COPY --from=0 /src/app /app',
      'COPY --from=build /etc/passwd /etc/passwd',
    );
    const found = hints(text).filter((h) => h[0] === 3 || h[0] === 4);
    assert.deepEqual(found, [[3, 'COPY --from=0'.length, 'build']]);
  });

  test('a go build shows what it writes, its cgo setting and its GOARCH', () => {
    const text = lines(
      'FROM golang:1.24.5 AS build',
      'WORKDIR /src',
      'RUN CGO_ENABLED=0 GOARCH=arm64 go build -o /out/server ./cmd/server',
      'FROM --platform=$BUILDPLATFORM golang:1.24.5-alpine AS cross',
      'RUN go build -o /out/tool .',
      'FROM gcr.io/distroless/static-debian12:nonroot',
      'COPY --from=build /out/server /server',
    );
    const found = hints(text);
    const line2 = 'RUN CGO_ENABLED=0 GOARCH=arm64 go build -o /out/server ./cmd/server';
    assert.deepEqual(found[0], [2, line2.length, '→ /out/server · CGO_ENABLED=0 · GOARCH=arm64']);
    // golang alpine has no C compiler: cgo is off by default; the stage runs on the build machine.
    assert.deepEqual(found[1], [
      4,
      'RUN go build -o /out/tool .'.length,
      '→ /out/tool · CGO_ENABLED=0 · GOARCH=$BUILDARCH',
    ]);
  });

  test('debian golang images build with cgo on by default, for the target platform', () => {
    const found = hints(lines('FROM golang:1.24.5', 'WORKDIR /src', 'RUN go build -o /app .'));
    assert.equal(found.find((h) => h[0] === 2)?.[2], '→ /app · CGO_ENABLED=1 · GOARCH=$TARGETARCH');
  });

  test('the final stage says which user the image runs as', () => {
    const withUser = hints(
      lines('FROM golang:1.24.5 AS build', 'RUN echo hi', 'FROM alpine:3.20', 'USER 10001:10001'),
    );
    assert.deepEqual(withUser.at(-1), [2, 'FROM alpine:3.20'.length, 'runs as 10001:10001']);
    assert.equal(hints(lines('FROM alpine:3.20', 'RUN go version')).at(-1)?.[2], 'runs as root');
    assert.equal(
      hints(lines('FROM gcr.io/distroless/static-debian12:nonroot', 'COPY app /app')).at(-1)?.[2],
      'runs as non-root (the image default)',
    );
    // An image go-multistage does not know: no claim about its user.
    assert.deepEqual(hints(lines('FROM example.com/base:1', 'COPY app /app')), []);
  });

  test('only the hints inside the requested range', () => {
    const text = lines(
      'FROM golang:1.24.5 AS build',
      'RUN go build -o /app .',
      'FROM scratch',
      'COPY --from=0 /app /app',
    );
    const model = buildModel(text, { goMod: GO_MOD });
    const inRange = inlayHints(model, {
      start: { line: 3, character: 0 },
      end: { line: 3, character: 40 },
    });
    assert.deepEqual(
      inRange.map((h) => h.label),
      ['build'],
    );
  });

  test('half-typed and odd input gives hints or none, never an exception', () => {
    for (const text of [
      'FROM',
      'FROM golang:${',
      'COPY --from=',
      'RUN go build -o',
      'FROM scratch\nCOPY --from=9 a b',
      '\u0000\uffff',
    ]) {
      assert.ok(Array.isArray(inlayHints(buildModel(text, {}))));
    }
  });
});
