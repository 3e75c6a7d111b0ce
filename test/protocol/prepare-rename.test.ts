import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PrepareRenameRequest, ResponseError } from 'vscode-languageserver-protocol/node';
import { TestClient, uri } from '../support/lsp-client';
import { at, crlf, MULTI_STAGE } from '../support/stage-texts';

describe('textDocument/prepareRename', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  async function prepare(
    name: string,
    text: string,
    position: { line: number; character: number },
  ) {
    const doc = uri(name);
    await client.open(doc, text);
    return client.connection.sendRequest(PrepareRenameRequest.type, {
      textDocument: { uri: doc },
      position,
    });
  }

  test('on a stage name or a reference: its range and the stage name', async () => {
    assert.deepEqual(await prepare('prepare/Dockerfile', MULTI_STAGE, at(MULTI_STAGE, 'BUILD')), {
      range: { start: { line: 7, character: 27 }, end: { line: 7, character: 32 } },
      placeholder: 'Build',
    });
    assert.deepEqual(
      await prepare('prepare/index.Dockerfile', MULTI_STAGE, at(MULTI_STAGE, 'from=0', 0, 5)),
      {
        range: { start: { line: 10, character: 12 }, end: { line: 10, character: 13 } },
        placeholder: 'Build',
      },
    );
  });

  test('nothing to rename elsewhere: images, instructions, a file without stages', async () => {
    assert.equal(
      await prepare('prepare/image.Dockerfile', MULTI_STAGE, at(MULTI_STAGE, 'distroless')),
      null,
    );
    assert.equal(
      await prepare('prepare/workdir.Dockerfile', MULTI_STAGE, at(MULTI_STAGE, 'WORKDIR')),
      null,
    );
    assert.equal(
      // On the keyword (on `A`, the build argument is offered).
      await prepare('prepare/none.Dockerfile', 'ARG A=1\n', { line: 0, character: 1 }),
      null,
    );
  });

  test('a stage referenced through a variable: an error with the reason', async () => {
    const text =
      'FROM golang:1.24 AS build\nFROM alpine\nARG SRC=build\nCOPY --from=${SRC} /a /a\n';
    await assert.rejects(
      prepare('prepare/dynamic.Dockerfile', text, at(text, 'build')),
      (error: unknown) =>
        error instanceof ResponseError && /through a variable/.test(error.message),
    );
  });

  test('CRLF: the same range', async () => {
    const text = crlf(MULTI_STAGE);
    assert.deepEqual(await prepare('prepare/crlf.Dockerfile', text, at(text, 'BUILD')), {
      range: { start: { line: 7, character: 27 }, end: { line: 7, character: 32 } },
      placeholder: 'Build',
    });
  });
});
