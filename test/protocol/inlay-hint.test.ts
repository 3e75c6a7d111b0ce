import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InlayHintKind, InlayHintRequest } from 'vscode-languageserver-protocol/node';
import { TestClient, uri } from '../support/lsp-client';

const TEXT = [
  'ARG GO_VERSION=1.24.5',
  'FROM golang:${GO_VERSION} AS build',
  'WORKDIR /src',
  'RUN CGO_ENABLED=0 go build -o /out/app .',
  'FROM gcr.io/distroless/static-debian12:nonroot',
  'COPY --from=0 /out/app /app',
  'ENTRYPOINT ["/app"]',
  '',
].join('\n');

describe('textDocument/inlayHint', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  async function hints(name: string, line = 0, endLine = 100) {
    const doc = uri(name);
    await client.open(doc, TEXT);
    return (
      (await client.connection.sendRequest(InlayHintRequest.type, {
        textDocument: { uri: doc },
        range: { start: { line, character: 0 }, end: { line: endLine, character: 0 } },
      })) ?? []
    );
  }

  test('off by default: no hints until goMultistage.inlayHints.enable is on', async () => {
    assert.deepEqual(await hints('inlay/off.Dockerfile'), []);
  });

  test('with the setting on: the resolved image, the build, the stage name and the user', async () => {
    await client.changeSettings({ inlayHints: { enable: true } });
    const result = await hints('inlay/on.Dockerfile');
    assert.deepEqual(
      result.map((h) => [h.position.line, h.label, h.kind]),
      [
        [1, '= golang:1.24.5', InlayHintKind.Type],
        [3, '→ /out/app · CGO_ENABLED=0 · GOARCH=$TARGETARCH', InlayHintKind.Type],
        [4, 'runs as non-root (the image default)', InlayHintKind.Type],
        [5, 'build', InlayHintKind.Parameter],
      ],
    );
    assert.ok(result.every((h) => typeof h.tooltip === 'string' && h.tooltip.length > 0));
    // Only the lines asked for.
    const part = await hints('inlay/part.Dockerfile', 5, 6);
    assert.deepEqual(
      part.map((h) => h.label),
      ['build'],
    );
  });
});
