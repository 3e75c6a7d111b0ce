import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HoverRequest, MarkupKind, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { TestClient, uri } from '../support/lsp-client';
import { at, crlf, MULTI_STAGE, SHADOWING } from '../support/stage-texts';

describe('textDocument/hover', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  async function hover(name: string, text: string, position: { line: number; character: number }) {
    const doc = uri(name);
    await client.open(doc, text);
    return client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: doc },
      position,
    });
  }

  test('on a stage reference: its base, what it builds, who uses it', async () => {
    const result = await hover(
      'hover/Dockerfile',
      MULTI_STAGE,
      at(MULTI_STAGE, '--from=build', 0, 9),
    );
    assert.ok(result);
    const contents = result.contents as MarkupContent;
    assert.equal(contents.kind, MarkupKind.Markdown);
    assert.match(contents.value, /^\*\*Stage `Build`\*\* \(stage 0 of 3\)/);
    assert.match(contents.value, /Base image: `golang:\$\{GO_VERSION\}` \(`golang:1\.24\.5`\)/);
    assert.match(contents.value, /Builds: `\/out\/server`/);
    assert.match(
      contents.value,
      /- stage `test` builds on it \(line 7\)\n- stage `test` mounts it \(line 8\)\n- stage 2 copies from it \(line 10\)\n- stage 2 copies from it \(line 11\)/,
    );
    assert.deepEqual(result.range, {
      start: { line: 9, character: 12 },
      end: { line: 9, character: 17 },
    });
  });

  test('on a stage named like an image, after it: the stage', async () => {
    const result = await hover('hover/shadow.Dockerfile', SHADOWING, at(SHADOWING, 'alpine', 3));
    assert.match((result?.contents as MarkupContent).value, /\*\*Stage `alpine`\*\*/);
    assert.equal(
      await hover('hover/shadow2.Dockerfile', SHADOWING, at(SHADOWING, 'alpine', 0)),
      null,
    );
  });

  test('on a finding: the rule and a link to its page', async () => {
    const text = 'FROM golang:1.24 AS build\nFROM alpine\nCOPY --from=biuld /a /a\n';
    const doc = uri('hover/finding.Dockerfile');
    await client.open(doc, text);
    const diagnostics = (await client.diagnostics(doc)).filter(
      (d) => d.code === 'copy-from-unknown-stage',
    );
    assert.equal(diagnostics.length, 1);
    const result = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: doc },
      position: at(text, 'biuld'),
    });
    assert.ok(result);
    assert.match(
      (result.contents as MarkupContent).value,
      /\[`copy-from-unknown-stage`\]\(https:\/\/github\.com\/go-multistage\/go-multistage\/blob\/main\/server\/src\/core\/rules\/copy-from-unknown-stage\.md\)/,
    );
    assert.deepEqual(result.range, diagnostics[0].range);
  });

  test('nothing elsewhere; CRLF alike', async () => {
    assert.equal(
      await hover('hover/none.Dockerfile', MULTI_STAGE, at(MULTI_STAGE, 'WORKDIR')),
      null,
    );
    assert.equal(await hover('hover/empty.Dockerfile', '', { line: 0, character: 0 }), null);
    const text = crlf(MULTI_STAGE);
    const result = await hover('hover/crlf.Dockerfile', text, at(text, '--from=build', 0, 9));
    assert.deepEqual(result?.range, {
      start: { line: 9, character: 12 },
      end: { line: 9, character: 17 },
    });
  });
});
