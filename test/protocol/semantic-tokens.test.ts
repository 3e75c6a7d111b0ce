import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SemanticTokensRequest } from 'vscode-languageserver-protocol/node';
import { SEMANTIC_TOKENS_LEGEND as legend } from '../../server/src/lsp/semantic-tokens';
import { TestClient, uri } from '../support/lsp-client';

describe('textDocument/semanticTokens/full', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  test('stage names and go build parts encoded as LSP relative tokens', async () => {
    assert.deepEqual(legend.tokenTypes, ['class', 'variable', 'parameter', 'namespace']);
    assert.deepEqual(legend.tokenModifiers, ['declaration', 'readonly']);
    const text = [
      'FROM golang:1.24 AS build',
      'RUN go build -o /app .',
      'FROM scratch',
      'COPY --from=build /app /app',
      '',
    ].join('\n');
    const doc = uri('semantic/Dockerfile');
    await client.open(doc, text);
    const result = await client.connection.sendRequest(SemanticTokensRequest.type, {
      textDocument: { uri: doc },
    });
    // Decode: [deltaLine, deltaStart, length, type, modifiers] per token.
    const decoded: [number, number, number, string, number][] = [];
    let line = 0;
    let character = 0;
    const data = result?.data ?? [];
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
      decoded.push([line, character, data[i + 2], legend.tokenTypes[data[i + 3]], data[i + 4]]);
    }
    assert.deepEqual(decoded, [
      [0, 20, 5, 'class', 1],
      [1, 13, 2, 'parameter', 0],
      [1, 21, 1, 'namespace', 0],
      [3, 12, 5, 'class', 0],
    ]);
  });
});
