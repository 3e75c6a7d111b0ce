import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DefinitionRequest, type Location } from 'vscode-languageserver-protocol/node';
import { TestClient, uri } from '../support/lsp-client';
import { at, crlf, MULTI_STAGE, SHADOWING } from '../support/stage-texts';

describe('textDocument/definition', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  async function definition(doc: string, position: { line: number; character: number }) {
    return (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: doc },
      position,
    })) as Location[] | null;
  }

  const BUILD_NAME = { start: { line: 2, character: 29 }, end: { line: 2, character: 34 } };

  test('from FROM, COPY --from and a mount from= to the AS name, case-insensitively', async () => {
    const doc = uri('definition/Dockerfile');
    await client.open(doc, MULTI_STAGE);
    for (const [needle, offset] of [
      ['FROM build', 6],
      ['from=BUILD', 6],
      ['--from=build', 9],
      ['AS Build', 4],
    ] as const) {
      const position = at(MULTI_STAGE, needle, 0, offset);
      assert.deepEqual(await definition(doc, position), [{ uri: doc, range: BUILD_NAME }], needle);
    }
  });

  test('from a numeric --from to the stage it indexes', async () => {
    const doc = uri('definition/index.Dockerfile');
    await client.open(doc, MULTI_STAGE);
    assert.deepEqual(await definition(doc, at(MULTI_STAGE, '--from=0', 0, 8)), [
      { uri: doc, range: BUILD_NAME },
    ]);
    const unnamed =
      'FROM golang:1.24\nRUN go build -o /app .\nFROM scratch\nCOPY --from=0 /app /app\n';
    await client.open(uri('definition/unnamed.Dockerfile'), unnamed);
    assert.deepEqual(await definition(uri('definition/unnamed.Dockerfile'), at(unnamed, '=0')), [
      {
        uri: uri('definition/unnamed.Dockerfile'),
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 16 } },
      },
    ]);
  });

  test('a stage named like an image: the FROM and --from after it go to the stage', async () => {
    const doc = uri('definition/shadow.Dockerfile');
    await client.open(doc, SHADOWING);
    const stage = [
      { uri: doc, range: { start: { line: 1, character: 20 }, end: { line: 1, character: 26 } } },
    ];
    assert.deepEqual(await definition(doc, at(SHADOWING, 'alpine', 3)), stage, 'FROM alpine');
    assert.deepEqual(await definition(doc, at(SHADOWING, 'alpine', 4)), stage, '--from=alpine');
    assert.equal(await definition(doc, at(SHADOWING, 'alpine', 0)), null, 'the image before it');
  });

  test('nothing on other words, half-typed lines, CRLF', async () => {
    const doc = uri('definition/other.Dockerfile');
    await client.open(doc, MULTI_STAGE);
    assert.equal(await definition(doc, at(MULTI_STAGE, 'WORKDIR')), null);
    const half = 'FROM golang:1.24 AS build\nCOPY --from=\n';
    await client.open(uri('definition/half.Dockerfile'), half);
    assert.equal(
      await definition(uri('definition/half.Dockerfile'), { line: 1, character: 12 }),
      null,
    );
    const text = crlf(MULTI_STAGE);
    await client.open(uri('definition/crlf.Dockerfile'), text);
    assert.deepEqual(await definition(uri('definition/crlf.Dockerfile'), at(text, 'BUILD')), [
      { uri: uri('definition/crlf.Dockerfile'), range: BUILD_NAME },
    ]);
  });
});
