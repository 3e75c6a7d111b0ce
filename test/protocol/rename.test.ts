import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  RenameRequest,
  ResponseError,
  TextDocumentEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../../server/src/core/text/edits';
import { TestClient, uri } from '../support/lsp-client';
import { at, crlf, MULTI_STAGE, SHADOWING } from '../support/stage-texts';

function applied(text: string, edit: WorkspaceEdit | null, doc: string, version: number): string {
  assert.ok(edit?.documentChanges, 'versioned document changes');
  assert.equal(edit.documentChanges.length, 1);
  const change = edit.documentChanges[0];
  assert.ok(TextDocumentEdit.is(change));
  assert.equal(change.textDocument.uri, doc);
  assert.equal(change.textDocument.version, version);
  return applyEdits(
    text,
    change.edits.map((e) => {
      assert.ok('newText' in e);
      return e;
    }),
  );
}

describe('textDocument/rename', () => {
  let client: TestClient;
  let rejections = 0;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  async function rename(
    name: string,
    text: string,
    position: { line: number; character: number },
    newName: string,
  ) {
    const doc = uri(name);
    await client.open(doc, text);
    const edit = await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: doc },
      position,
      newName,
    });
    return { doc, edit };
  }

  async function rejected(
    text: string,
    position: { line: number; character: number },
    newName: string,
    reason: RegExp,
  ) {
    await assert.rejects(
      rename(`rename/rejected-${++rejections}.Dockerfile`, text, position, newName),
      (error: unknown) => {
        assert.ok(error instanceof ResponseError, String(error));
        assert.match(error.message, reason);
        return true;
      },
    );
  }

  test('the declaration and every reference by name, whatever their case; indexes stay', async () => {
    const { doc, edit } = await rename(
      'rename/Dockerfile',
      MULTI_STAGE,
      at(MULTI_STAGE, 'BUILD'),
      'compile',
    );
    const result = applied(MULTI_STAGE, edit, doc, 1);
    assert.equal(
      result,
      MULTI_STAGE.replace('AS Build', 'AS compile')
        .replace('FROM build', 'FROM compile')
        .replace('from=BUILD', 'from=compile')
        .replace('--from=build', '--from=compile'),
    );
    assert.match(result, /COPY --from=0 /);
  });

  test('from a numeric --from, the index becomes the name too', async () => {
    const { doc, edit } = await rename(
      'rename/index.Dockerfile',
      MULTI_STAGE,
      at(MULTI_STAGE, 'from=0', 0, 5),
      'compile',
    );
    assert.match(applied(MULTI_STAGE, edit, doc, 1), /COPY --from=compile \/src\/config\.yaml/);
  });

  test('a stage shadowing an image: its FROM and --from follow; the image before it stays', async () => {
    const { doc, edit } = await rename(
      'rename/shadow.Dockerfile',
      SHADOWING,
      at(SHADOWING, 'alpine', 3),
      'ca',
    );
    assert.equal(
      applied(SHADOWING, edit, doc, 1),
      SHADOWING.replace('AS alpine', 'AS ca')
        .replace('FROM alpine\n', 'FROM ca\n')
        .replace('--from=alpine', '--from=ca'),
    );
  });

  test('rejects invalid names, taken names (in any case) and names that capture an image', async () => {
    const position = at(MULTI_STAGE, 'Build');
    await rejected(MULTI_STAGE, position, '2build', /not a valid stage name/);
    await rejected(MULTI_STAGE, position, 'TEST', /already named test/);
    await rejected(MULTI_STAGE, position, 'scratch', /reserved/);
    await rejected(SHADOWING, at(SHADOWING, 'certs'), 'alpine', /already named alpine/);
    const capture = 'FROM golang:1.24 AS build\nFROM alpine\nCOPY --from=build /a /a\n';
    await rejected(capture, at(capture, 'build'), 'alpine', /FROM alpine.*image alpine/);
    await rejected(MULTI_STAGE, at(MULTI_STAGE, 'WORKDIR'), 'x', /no stage name here/);
  });

  test('CRLF: the same edits', async () => {
    const text = crlf(MULTI_STAGE);
    const { doc, edit } = await rename(
      'rename/crlf.Dockerfile',
      text,
      at(text, 'Build'),
      'compile',
    );
    const { doc: lfDoc, edit: lfEdit } = await rename(
      'rename/lf.Dockerfile',
      MULTI_STAGE,
      at(MULTI_STAGE, 'Build'),
      'compile',
    );
    assert.equal(applied(text, edit, doc, 1), crlf(applied(MULTI_STAGE, lfEdit, lfDoc, 1)));
  });
});
