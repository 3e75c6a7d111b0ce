// The language server under abuse, over stdio: malformed and unknown messages, documents it does
// not have, versions out of order, cancelled requests and bursts of edits. After each, it must
// keep answering, and its stdout must hold nothing but LSP frames.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CancellationTokenSource,
  CodeActionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  ErrorCodes,
  ResponseError,
  type CodeAction,
} from 'vscode-languageserver-protocol/node';
import { manyStages } from '../support/large-inputs';
import { TestClient } from '../support/lsp-client';
import { frame } from '../support/lsp-frames';
import { NOT_GO, SINGLE_STAGE } from '../support/stage-texts';

const URI = 'untitled:Dockerfile';
const everything = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };

async function findings(client: TestClient, uri: string): Promise<string[]> {
  const report = await client.pull(uri);
  if (report.kind !== 'full') assert.fail(`a ${report.kind} report`);
  return report.items.map((d) => String(d.code));
}

/** The server still answers: a fresh document gets its finding. */
async function stillAnswers(client: TestClient): Promise<void> {
  const uri = `untitled:Probe-${Math.random().toString(36).slice(2)}`;
  await client.open(uri, SINGLE_STAGE);
  assert.deepEqual(await findings(client, uri), ['go-toolchain-in-final-stage']);
}

async function closeCleanly(client: TestClient): Promise<void> {
  await client.stop();
  assert.deepEqual(
    client.frameErrors(),
    [],
    `stdout held more than protocol; stderr: ${client.stderr}`,
  );
}

describe('the language server under abuse', () => {
  test('keeps answering after malformed messages', async () => {
    const client = await TestClient.start();
    for (const body of [
      '{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {',
      'not json at all',
      '[]',
      '42',
      'null',
      '{"jsonrpc": "2.0"}',
      '{"jsonrpc": "1.0", "id": 1, "method": "shutdown"}',
      '{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": null}',
      '{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": 5}}',
      '{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "untitled:Dockerfile"}, "contentChanges": "x"}}',
      '{"jsonrpc": "2.0", "id": "x", "result": {}}',
      '{"jsonrpc": "2.0", "method": "\\u0000\\ud800"}',
    ]) {
      await client.writeRaw(frame(body));
    }
    // Requests with parameters of the wrong shape fail as requests, not as the server.
    for (const params of [
      null,
      {},
      { textDocument: 3 },
      { textDocument: { uri: 7 }, context: null },
    ]) {
      await client.connection.sendRequest(CodeActionRequest.method, params).then(
        () => undefined,
        (error: unknown) => assert.ok(error instanceof ResponseError),
      );
    }
    await stillAnswers(client);
    await closeCleanly(client);
  });

  test('answers unknown methods with MethodNotFound and ignores unknown notifications', async () => {
    const client = await TestClient.start();
    for (const method of [
      'goMultistage/noSuchThing',
      'textDocument/noSuchThing',
      '$/noSuchThing',
    ]) {
      await assert.rejects(
        client.connection.sendRequest(method, {}),
        (error: unknown) =>
          error instanceof ResponseError && error.code === ErrorCodes.MethodNotFound,
      );
      await client.connection.sendNotification(method, { anything: [1, 2, 3] });
    }
    await stillAnswers(client);
    await closeCleanly(client);
  });

  test('answers requests for documents that are not open', async () => {
    const client = await TestClient.start();
    for (const uri of [
      'untitled:Never-opened',
      'file:///nonexistent/folder/Dockerfile',
      'file://remote-host/share/Dockerfile',
      'file:///tmp/%2F/Dockerfile',
      'vscode-vfs://github/example/repo/Dockerfile',
      'not a uri',
    ]) {
      assert.deepEqual(await findings(client, uri), []);
      const actions = await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: everything,
        context: { diagnostics: [] },
      });
      assert.deepEqual(actions, []);
      await client.change(uri, SINGLE_STAGE, 2);
      await client.connection.sendNotification(DidCloseTextDocumentNotification.type, {
        textDocument: { uri },
      });
    }
    // The same odd URIs, opened: analysed without their folder (no go.mod can be found).
    for (const uri of [
      'file://remote-host/share/Dockerfile',
      'file:///tmp/%2F/Dockerfile',
      'vscode-vfs://github/example/repo/Dockerfile',
    ]) {
      await client.open(uri, SINGLE_STAGE);
      assert.deepEqual(await findings(client, uri), ['go-toolchain-in-final-stage']);
    }
    await stillAnswers(client);
    await closeCleanly(client);
  });

  test('follows the last change received when versions arrive out of order', async () => {
    const client = await TestClient.start();
    await client.open(URI, SINGLE_STAGE, 10);
    assert.deepEqual(await findings(client, URI), ['go-toolchain-in-final-stage']);
    await client.change(URI, NOT_GO, 5);
    assert.deepEqual(await findings(client, URI), []);
    await client.change(URI, SINGLE_STAGE, 7);
    assert.deepEqual(await findings(client, URI), ['go-toolchain-in-final-stage']);
    // An incremental change whose range lies outside the document is clamped, not fatal.
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: URI, version: 8 },
      contentChanges: [
        {
          range: { start: { line: 500, character: 9 }, end: { line: 400, character: 0 } },
          text: 'RUN x\n',
        },
        { range: { start: { line: -1, character: -5 }, end: { line: 0, character: 0 } }, text: '' },
      ],
    });
    await findings(client, URI);
    await stillAnswers(client);
    await closeCleanly(client);
  });

  test('publishes for the version it last received (push mode)', async () => {
    const client = await TestClient.start({ pull: false });
    await client.open(URI, SINGLE_STAGE, 10);
    await client.waitForPublish(
      (p) => p.uri === URI && p.version === 10 && p.diagnostics.length === 1,
    );
    await client.change(URI, NOT_GO, 3);
    const latest = await client.waitForPublish((p) => p.uri === URI && p.version === 3);
    assert.deepEqual(latest.diagnostics, []);
    await closeCleanly(client);
  });

  test('settles cancelled requests and keeps answering', async () => {
    const client = await TestClient.start();
    const big = manyStages(20_000);
    await client.open('untitled:Big', big);
    const settled: string[] = [];
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 5; i++) {
      // Each request asks about a new version, so none is served from the cache.
      await client.change('untitled:Big', big + `# ${i}\n`, 2 + i);
      const source = new CancellationTokenSource();
      const request = client.connection.sendRequest(
        CodeActionRequest.type,
        { textDocument: { uri: 'untitled:Big' }, range: everything, context: { diagnostics: [] } },
        source.token,
      );
      source.cancel();
      pending.push(
        request.then(
          () => void settled.push('answered'),
          (error: unknown) => {
            assert.ok(error instanceof ResponseError, String(error));
            assert.equal(error.code, -32800 /* RequestCancelled */);
            settled.push('cancelled');
          },
        ),
      );
    }
    // Cancelling a request that does not exist is harmless.
    await client.writeRaw(
      frame('{"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 987654}}'),
    );
    await Promise.all(pending);
    assert.equal(settled.length, 5);
    await stillAnswers(client);
    await closeCleanly(client);
  });

  test('absorbs a thousand rapid changes and publishes the last version', async () => {
    const client = await TestClient.start({ pull: false });
    await client.open(URI, SINGLE_STAGE, 1);
    await client.waitForPublish((p) => p.uri === URI && p.version === 1);
    const before = client.published.length;
    const sends: Promise<void>[] = [];
    let line = SINGLE_STAGE.split('\n').length - 1;
    for (let version = 2; version <= 1001; version++) {
      // Type a comment line, one character at a time, at the end of the file.
      const text = version % 40 === 0 ? '\n' : '#';
      sends.push(
        client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
          textDocument: { uri: URI, version },
          contentChanges: [
            { range: { start: { line, character: 999 }, end: { line, character: 999 } }, text },
          ],
        }),
      );
      if (text === '\n') line++;
    }
    await Promise.all(sends);
    const last = await client.waitForPublish((p) => p.uri === URI && p.version === 1001);
    assert.deepEqual(
      last.diagnostics.map((d) => d.code),
      ['go-toolchain-in-final-stage'],
    );
    // The server waits for typing to pause: a burst yields a handful of publications, not 1,000.
    const during = client.published.length - before;
    assert.ok(during < 100, `${during} publications for one burst of changes`);
    await closeCleanly(client);
  });

  test('absorbs a thousand rapid changes and answers the pull for the last one', async () => {
    const client = await TestClient.start();
    await client.open(URI, NOT_GO, 1);
    const sends: Promise<number>[] = [];
    for (let version = 2; version <= 1001; version++) {
      sends.push(client.change(URI, version % 2 === 0 ? SINGLE_STAGE : NOT_GO, version));
    }
    await Promise.all(sends);
    // Version 1001 is odd: the last text has nothing to report.
    assert.deepEqual(await findings(client, URI), []);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: URI },
      range: everything,
      context: { diagnostics: [] },
    })) as CodeAction[];
    assert.deepEqual(actions, []);
    await closeCleanly(client);
  });

  test('takes settings and file events of any shape', async () => {
    const client = await TestClient.start({ pull: false });
    for (const settings of [
      null,
      42,
      'x',
      [],
      { goMultistage: null },
      { goMultistage: { rules: 'all', runtimeImage: 7, enable: 'yes' } },
      { goMultistage: { rules: { 'go-toolchain-in-final-stage': 'loud' } } },
    ]) {
      await client.connection.sendNotification(DidChangeConfigurationNotification.type, {
        settings,
      });
    }
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: 'file:///nowhere/go.mod', type: 2 }],
    });
    await client.open(URI, SINGLE_STAGE, 1);
    const published = await client.waitForPublish((p) => p.uri === URI && p.version === 1);
    assert.deepEqual(
      published.diagnostics.map((d) => d.code),
      ['go-toolchain-in-final-stage'],
    );
    await closeCleanly(client);
  });
});
