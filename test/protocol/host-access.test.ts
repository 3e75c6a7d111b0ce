// The language server reads Dockerfiles, go.mod and folder listings, and nothing else: it starts
// no process and opens no network connection. Every such API is replaced, before the server
// loads, by one that reports the attempt; a full session must not trigger any.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { DidChangeConfigurationNotification } from 'vscode-languageserver-protocol/node';
import { ROOT } from '../support/fixtures';
import { TestClient } from '../support/lsp-client';
import { SINGLE_STAGE } from '../support/stage-texts';

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
    const client = await TestClient.start({
      pull,
      nodeArgs: ['--require', PRELOAD],
      workspaceFolder: project,
    });
    let stopped = false;
    try {
      await client.open(uri, SINGLE_STAGE);
      const diagnostics = pull
        ? await client.diagnostics(uri)
        : (await client.waitForPublish((p) => p.uri === uri && p.version === 1)).diagnostics;
      assert.ok(diagnostics.some((d) => d.code === 'go-toolchain-in-final-stage'));
      const actions = await client.codeActions(uri, diagnostics[0].range, diagnostics);
      assert.ok(actions.length > 0);
      await client.change(uri, SINGLE_STAGE.replace('/out/app', '/out/server'));
      await client.goModChanged(join(project, 'go.mod'));
      await client.connection.sendNotification(DidChangeConfigurationNotification.type, {
        settings: {},
      });
      if (pull) await client.pull(uri);
      else await client.waitForPublish((p) => p.uri === uri && p.version === 2);
      await client.close(uri);
      stopped = true;
      await client.stop();
      assert.deepEqual(client.frameErrors(), []);
      const denied = client.stderr.split('\n').filter((line) => line.startsWith(MARK));
      assert.deepEqual(denied, [], `the server tried: ${denied.join(', ')}`);
    } finally {
      // A failed assertion must not leave the server running (the runner would wait for it).
      if (!stopped) await client.stop();
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
