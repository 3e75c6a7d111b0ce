import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ReferencesRequest, type Location } from 'vscode-languageserver-protocol/node';
import { TestClient, uri } from '../support/lsp-client';
import { at, crlf, MULTI_STAGE, SHADOWING } from '../support/stage-texts';

function lines(locations: Location[] | null, text: string): string[] {
  const all = text.split(/\r\n|\n/);
  return (locations ?? []).map(
    (l) =>
      `${l.range.start.line}: ${all[l.range.start.line].slice(l.range.start.character, l.range.end.character)}`,
  );
}

describe('textDocument/references', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  async function references(
    name: string,
    text: string,
    position: { line: number; character: number },
    includeDeclaration = true,
  ) {
    const doc = uri(name);
    await client.open(doc, text);
    return client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: doc },
      position,
      context: { includeDeclaration },
    });
  }

  test('the declaration and every reference, by name in any case and by index', async () => {
    const expected = ['2: Build', '6: build', '7: BUILD', '9: build', '10: 0'];
    for (const [needle, offset] of [
      ['Build', 1],
      ['BUILD', 1],
      ['from=0', 5],
    ] as const) {
      const found = await references(
        `references/${needle}.Dockerfile`,
        MULTI_STAGE,
        at(MULTI_STAGE, needle, 0, offset),
      );
      assert.deepEqual(lines(found, MULTI_STAGE), expected, needle);
    }
  });

  test('without the declaration when not asked for it', async () => {
    const found = await references(
      'references/nodecl.Dockerfile',
      MULTI_STAGE,
      at(MULTI_STAGE, 'Build'),
      false,
    );
    assert.deepEqual(lines(found, MULTI_STAGE), ['6: build', '7: BUILD', '9: build', '10: 0']);
  });

  test('a stage shadowing an image, a file with no stages, CRLF', async () => {
    assert.deepEqual(
      lines(
        await references('references/shadow.Dockerfile', SHADOWING, at(SHADOWING, 'alpine', 2)),
        SHADOWING,
      ),
      ['1: alpine', '3: alpine', '4: alpine'],
    );
    assert.equal(
      // On the keyword: no stage and no variable (on `A` the ARG's references are given).
      await references('references/none.Dockerfile', 'ARG A=1\n', { line: 0, character: 1 }),
      null,
    );
    const text = crlf(MULTI_STAGE);
    assert.deepEqual(
      lines(await references('references/crlf.Dockerfile', text, at(text, 'Build')), text),
      ['2: Build', '6: build', '7: BUILD', '9: build', '10: 0'],
    );
  });
});
