import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DocumentHighlightKind,
  DocumentHighlightRequest,
  type DocumentHighlight,
} from 'vscode-languageserver-protocol/node';
import { TestClient, uri } from '../support/lsp-client';
import { at, MULTI_STAGE, SHADOWING } from '../support/stage-texts';

function summary(highlights: DocumentHighlight[] | null): string[] {
  return (highlights ?? []).map(
    (h) =>
      `${h.range.start.line}:${h.range.start.character} ${h.kind === DocumentHighlightKind.Write ? 'write' : 'read'}`,
  );
}

describe('textDocument/documentHighlight', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  async function highlights(
    name: string,
    text: string,
    position: { line: number; character: number },
  ) {
    const doc = uri(name);
    await client.open(doc, text);
    return client.connection.sendRequest(DocumentHighlightRequest.type, {
      textDocument: { uri: doc },
      position,
    });
  }

  test('the name as written, every reference read', async () => {
    assert.deepEqual(
      summary(
        await highlights(
          'highlight/Dockerfile',
          MULTI_STAGE,
          at(MULTI_STAGE, '--from=build', 0, 10),
        ),
      ),
      ['2:29 write', '6:5 read', '7:27 read', '9:12 read', '10:12 read'],
    );
  });

  test('a stage shadowing an image; nothing on the image before it or elsewhere', async () => {
    assert.deepEqual(
      summary(
        await highlights('highlight/shadow.Dockerfile', SHADOWING, at(SHADOWING, 'alpine', 3)),
      ),
      ['1:20 write', '3:5 read', '4:12 read'],
    );
    assert.equal(
      await highlights('highlight/shadow2.Dockerfile', SHADOWING, at(SHADOWING, 'alpine', 0)),
      null,
    );
    assert.equal(
      await highlights('highlight/empty.Dockerfile', '', { line: 0, character: 0 }),
      null,
    );
  });
});
