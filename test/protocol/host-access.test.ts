// The language server reads Dockerfiles, go.mod and folder listings, and nothing else: it starts
// no process and opens no network connection. Every such API is replaced, before the server
// loads, by one that reports the attempt; a full session must not trigger any.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import {
  CodeActionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type FullDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { ROOT } from '../support/fixtures';
import { SINGLE_STAGE, startSession } from '../support/lsp-session';

const PRELOAD = join(ROOT, 'out', 'test', 'support', 'deny-host-access.js');
const MARK = 'DENIED HOST ACCESS:';

const project = mkdtempSync(join(tmpdir(), 'go-multistage-host-'));
after(() => rmSync(project, { recursive: true, force: true }));

test('a full session starts no process and opens no connection', async () => {
  writeFileSync(join(project, 'go.mod'), 'module example.com/app\n\ngo 1.22\n');
  writeFileSync(join(project, '.dockerignore'), '*.md\n');
  mkdirSync(join(project, 'cmd', 'server'), { recursive: true });
  writeFileSync(join(project, 'cmd', 'server', 'main.go'), 'package main\n\nfunc main() {}\n');
  const dockerfile = join(project, 'Dockerfile');
  writeFileSync(dockerfile, SINGLE_STAGE);
  const uri = pathToFileURL(dockerfile).href;

  for (const pull of [true, false]) {
    const session = await startSession({
      pull,
      nodeArgs: ['--require', PRELOAD],
      rootUri: pathToFileURL(project).href,
    });
    const { connection } = session;
    let closed = false;
    try {
      await connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'dockerfile', version: 1, text: SINGLE_STAGE },
      });
      const diagnostics = pull
        ? ((await session.pull(uri)) as FullDocumentDiagnosticReport).items
        : (await session.waitForPublish((p) => p.uri === uri && p.version === 1)).diagnostics;
      assert.ok(diagnostics.some((d) => d.code === 'go-toolchain-in-final-stage'));
      const actions = await connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: diagnostics[0].range,
        context: { diagnostics },
      });
      assert.ok(actions && actions.length > 0);
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: 2 },
        contentChanges: [{ text: SINGLE_STAGE.replace('/out/app', '/out/server') }],
      });
      await connection.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: [{ uri: pathToFileURL(join(project, 'go.mod')).href, type: 2 }],
      });
      await connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
      if (pull) await session.pull(uri);
      else await session.waitForPublish((p) => p.uri === uri && p.version === 2);
      await connection.sendNotification(DidCloseTextDocumentNotification.type, {
        textDocument: { uri },
      });
      closed = true;
      const stdoutErrors = await session.close();
      assert.deepEqual(stdoutErrors, []);
      const denied = session
        .stderr()
        .split('\n')
        .filter((line) => line.startsWith(MARK));
      assert.deepEqual(denied, [], `the server tried: ${denied.join(', ')}`);
    } finally {
      // A failed assertion must not leave the server running (the runner would wait for it).
      if (!closed) await session.close();
    }
  }
});

test('the trap works: a denied call is reported', async () => {
  const { spawnSync } = await import('node:child_process');
  const result = spawnSync(
    process.execPath,
    ['--require', PRELOAD, '-e', 'try { require("node:net").connect(1) } catch {}'],
    { encoding: 'utf8' },
  );
  assert.match(result.stderr, /DENIED HOST ACCESS: net\.connect/);
});
