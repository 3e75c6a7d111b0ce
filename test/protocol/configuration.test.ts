import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { TestClient, uri } from '../support/lsp-client';
import { CURRENT_GO } from '../support/go-versions';

// Modules downloaded before the sources, caches mounted, a supported Go: only the toolchain in the
// final image is wrong here.
const SINGLE_STAGE =
  `FROM golang:${CURRENT_GO}\n` +
  'WORKDIR /src\nCOPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nCOPY . .\n' +
  'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o server ./cmd/server\nCMD ["./server"]\n';

describe('workspace/configuration and workspace/didChangeConfiguration', () => {
  test('severity overrides and rules turned off apply when settings change', async () => {
    const client = await TestClient.start();
    try {
      const doc = uri('settings/Dockerfile');
      await client.open(doc, SINGLE_STAGE);
      assert.equal((await client.diagnostics(doc))[0].severity, DiagnosticSeverity.Warning);
      const refreshes = client.refreshes;
      await client.changeSettings({ rules: { 'go-toolchain-in-final-stage': 'error' } });
      await client.until(() => client.refreshes > refreshes, 'a diagnostics refresh');
      assert.equal((await client.diagnostics(doc))[0].severity, DiagnosticSeverity.Error);
      await client.changeSettings({ rules: { 'go-toolchain-in-final-stage': 'off' } });
      assert.deepEqual(await client.diagnostics(doc), []);
      await client.changeSettings({ enable: false });
      assert.deepEqual(await client.diagnostics(doc), []);
      await client.changeSettings({ rules: { 'go-toolchain-in-final-stage': 'loud' } });
      assert.equal(
        (await client.diagnostics(doc))[0].severity,
        DiagnosticSeverity.Warning,
        'invalid values are ignored',
      );
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  test('the runtime image setting changes the conversion', async () => {
    const client = await TestClient.start({ settings: { runtimeImage: 'scratch' } });
    try {
      const doc = uri('runtime/Dockerfile');
      await client.open(doc, SINGLE_STAGE);
      const diagnostics = await client.diagnostics(doc);
      const actions = await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: doc },
        range: diagnostics[0].range,
        context: { diagnostics, only: ['refactor.rewrite'] },
      });
      assert.match(JSON.stringify(actions), /FROM scratch/);
    } finally {
      await client.stop();
    }
  });

  test('the layout setting changes the quick fix and the refactoring alike', async () => {
    const client = await TestClient.start({ settings: { convertLayout: 'dev-build-runtime' } });
    try {
      const doc = uri('layout/Dockerfile');
      await client.open(doc, SINGLE_STAGE);
      const diagnostics = await client.diagnostics(doc);
      const actions = (await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: doc },
        range: diagnostics[0].range,
        context: { diagnostics, only: ['quickfix', 'refactor.rewrite'] },
      })) as { title: string; kind: string; edit: unknown }[];
      const conversions = actions.filter((a) => a.title === 'Convert to multi-stage');
      assert.deepEqual(conversions.map((a) => a.kind).sort(), ['quickfix', 'refactor.rewrite']);
      for (const action of conversions) {
        assert.match(JSON.stringify(action.edit), /AS dev/);
        assert.match(JSON.stringify(action.edit), /FROM dev AS build/);
      }
    } finally {
      await client.stop();
    }
  });

  test('registers for go.mod and settings changes', async () => {
    const client = await TestClient.start();
    try {
      await client.until(() => client.registrations.length >= 2, 'registrations');
      assert.ok(client.registrations.includes('workspace/didChangeWatchedFiles'));
      assert.ok(client.registrations.includes('workspace/didChangeConfiguration'));
    } finally {
      await client.stop();
    }
  });
});

describe('go.mod discovery', () => {
  test('the nearest go.mod is read, and a change to it re-checks open Dockerfiles', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'gm-protocol-'));
    try {
      mkdirSync(join(workspace, 'svc'));
      const goMod = join(workspace, 'go.mod');
      writeFileSync(goMod, 'module example.com/hello\n\ngo 1.24\n');
      const dockerfile = join(workspace, 'svc', 'Dockerfile');
      // go build with no -o and no package names the binary after the module path.
      const text =
        `FROM golang:${CURRENT_GO}\n` +
        'WORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/go-build go build\nCMD ["./hello"]\n';
      writeFileSync(dockerfile, text);
      const client = await TestClient.start({ workspaceFolder: workspace });
      try {
        const doc = pathToFileURL(dockerfile).href;
        await client.open(doc, text);
        assert.deepEqual(
          (await client.diagnostics(doc)).map((d) => d.code),
          ['go-toolchain-in-final-stage'],
        );
        writeFileSync(goMod, 'module example.com/other\n\ngo 1.24\n');
        const refreshes = client.refreshes;
        await client.goModChanged(goMod);
        await client.until(() => client.refreshes > refreshes, 'a diagnostics refresh');
        assert.deepEqual(await client.diagnostics(doc), []);
      } finally {
        await client.stop();
      }
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
