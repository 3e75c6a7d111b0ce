import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  FoldingRangeKind,
  FoldingRangeRequest,
  type FoldingRange,
} from 'vscode-languageserver-protocol/node';
import { TestClient, uri } from '../support/lsp-client';
import { crlf, MULTI_STAGE } from '../support/stage-texts';

describe('textDocument/foldingRange', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  async function folds(name: string, text: string): Promise<FoldingRange[]> {
    const doc = uri(name);
    await client.open(doc, text);
    const result = await client.connection.sendRequest(FoldingRangeRequest.type, {
      textDocument: { uri: doc },
    });
    return result ?? [];
  }

  test('one region per stage, and a fold for a continued RUN', async () => {
    const result = await folds('folding/Dockerfile', MULTI_STAGE);
    assert.deepEqual(
      result.map((f) => [f.startLine, f.endLine, f.kind]),
      [
        [2, 5, FoldingRangeKind.Region],
        [4, 5, undefined],
        [6, 7, FoldingRangeKind.Region],
        [8, 11, FoldingRangeKind.Region],
      ],
    );
  });

  test('the same lines with CRLF line endings, and comment blocks fold', async () => {
    const text = [
      '# Build the server.',
      '# Then ship it.',
      'FROM golang:1.24',
      'RUN go build .',
      '',
    ].join('\n');
    const result = await folds('folding/crlf.Dockerfile', crlf(text));
    assert.deepEqual(
      result.map((f) => [f.startLine, f.endLine, f.kind]),
      [
        [0, 1, FoldingRangeKind.Comment],
        [2, 3, FoldingRangeKind.Region],
      ],
    );
  });

  test('a one-line stage has no fold; an empty document has none', async () => {
    assert.deepEqual(await folds('folding/one.Dockerfile', 'FROM scratch\n'), []);
    assert.deepEqual(await folds('folding/empty.Dockerfile', ''), []);
  });
});
