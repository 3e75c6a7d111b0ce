import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { RULES } from '../../server/src/core/rules';
import { VERSION } from '../../server/src/core/version';
import { TestClient } from '../support/lsp-client';

const DOCKERFILE = [
  'FROM golang:1.24',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o server ./cmd/server',
  'CMD ["./server"]',
  '',
].join('\n');

interface DocumentStatus {
  version: string;
  enabled: boolean;
  goMod?: { path: string; module?: string; go?: string };
  context?: { path: string; files: number };
  notOnDisk?: boolean;
  rules: { on: number; total: number };
}

describe('go-multistage/status (what the server found, for the editor to show)', () => {
  let workspace: string;
  let client: TestClient;
  before(async () => {
    workspace = realpathSync(mkdtempSync(join(tmpdir(), 'go-multistage-status-')));
    mkdirSync(join(workspace, 'cmd', 'server'), { recursive: true });
    writeFileSync(join(workspace, 'go.mod'), 'module example.com/shop\n\ngo 1.24\n');
    writeFileSync(join(workspace, 'cmd', 'server', 'main.go'), 'package main\nfunc main() {}\n');
    writeFileSync(join(workspace, 'Dockerfile'), DOCKERFILE);
    client = await TestClient.start({ workspaceFolder: workspace });
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    rmSync(workspace, { recursive: true, force: true });
  });

  function status(uri: string): Promise<DocumentStatus> {
    return client.connection.sendRequest('go-multistage/status', { textDocument: { uri } });
  }

  test('logs one line at start: its version, the workspace and its go.mod', async () => {
    const line = await client.until(
      () => client.logs.find((l) => l.startsWith('go-multistage ')),
      'the startup line',
    );
    assert.equal(
      line,
      `go-multistage ${VERSION} started; workspace: ${workspace} (go.mod of example.com/shop)`,
    );
    assert.equal(client.logs.filter((l) => l.startsWith('go-multistage ')).length, 1);
  });

  test('a Dockerfile on disk: its go.mod, its build context and the rules on', async () => {
    const uri = pathToFileURL(join(workspace, 'Dockerfile')).href;
    await client.open(uri, DOCKERFILE);
    const found = await status(uri);
    const optIn = RULES.filter((r) => r.meta.enabledByDefault === false).length;
    assert.deepEqual(found, {
      version: VERSION,
      enabled: true,
      goMod: { path: join(workspace, 'go.mod'), module: 'example.com/shop', go: '1.24' },
      context: { path: workspace, files: 3 },
      rules: { on: RULES.length - optIn, total: RULES.length },
    });
  });

  test('follows the settings: rules turned off or on, checks disabled', async () => {
    const uri = pathToFileURL(join(workspace, 'Dockerfile')).href;
    const optIn = RULES.filter((r) => r.meta.enabledByDefault === false).length;
    await client.changeSettings({
      rules: { 'unreachable-stage': 'off', 'go-build-missing-release-flags': 'hint' },
    });
    // One rule off, one opt-in rule on: the other opt-in rules (if any) stay off.
    assert.deepEqual((await status(uri)).rules, {
      on: RULES.length - 1 - (optIn - 1),
      total: RULES.length,
    });
    await client.changeSettings({ enable: false });
    const disabled = await status(uri);
    assert.equal(disabled.enabled, false);
    assert.equal(disabled.rules.on, 0);
    await client.changeSettings({});
  });

  test('an unsaved Dockerfile: no go.mod or context can be known, and it says why', async () => {
    const uri = 'untitled:Untitled-1';
    await client.open(uri, DOCKERFILE);
    const found = await status(uri);
    assert.equal(found.notOnDisk, true);
    assert.equal(found.goMod, undefined);
    assert.equal(found.context, undefined);
  });
});
