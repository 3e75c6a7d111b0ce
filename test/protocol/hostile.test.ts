// The language server facing a hostile repository or a broken client: project files that are
// links to devices or FIFOs, a document of megabytes, a peer that does not speak LSP, requests
// before `initialize`, cancelled requests. No hang, no crash, and requests on other documents are
// still answered. (The CLI's side is in test/unit/cli-hostile.test.ts, the core's in
// test/unit/hostile-repository.test.ts.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionRequest,
  createProtocolConnection,
  DocumentDiagnosticRequest,
  DocumentSymbolRequest,
  ErrorCodes,
  HoverRequest,
  InitializeRequest,
  LSPErrorCodes,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { manyStages } from '../support/large-inputs';
import { TestClient } from '../support/lsp-client';
import { frame } from '../support/lsp-frames';
import { spawnServer } from '../support/server-process';

const SINGLE_STAGE =
  'FROM golang:1.24\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n';

let workspace: string;
before(() => {
  workspace = mkdtempSync(join(tmpdir(), 'gm-hostile-'));
  writeFileSync(join(workspace, 'Dockerfile'), SINGLE_STAGE);
  writeFileSync(join(workspace, 'main.go'), 'package main\n\nfunc main() {}\n');
  execFileSync('mkfifo', [join(workspace, 'go.mod.fifo')]);
  symlinkSync('/dev/zero', join(workspace, 'zero.mod'));
  symlinkSync('/dev/zero', join(workspace, '.dockerignore'));
});
after(() => rmSync(workspace, { recursive: true, force: true }));

/** Resolves with the server's exit code and stderr once it exits. */
function exited(child: ReturnType<typeof spawnServer>) {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stderr })),
  );
}

describe('project files that are not files', () => {
  for (const [name, goMod] of [
    ['a FIFO', 'go.mod.fifo'],
    ['a link to /dev/zero', 'zero.mod'],
  ]) {
    test(`the goMod setting pointing at ${name}: diagnostics come, nothing hangs`, async () => {
      const client = await TestClient.start({ workspaceFolder: workspace, settings: { goMod } });
      try {
        const uri = pathToFileURL(join(workspace, 'Dockerfile')).href;
        await client.open(uri, SINGLE_STAGE);
        const codes = (await client.diagnostics(uri)).map((d) => d.code);
        assert.ok(codes.includes('go-toolchain-in-final-stage'), codes.join(', '));
      } finally {
        assert.equal(await client.stop(), 0);
      }
    });
  }
});

describe('a client that is not one', () => {
  for (const [name, bytes] of [
    ['text that is no header', 'hello world\r\n\r\n'],
    ['a Content-Length that is no number', 'Content-Length: many\r\n\r\n{}'],
    ['lines ended by LF alone', 'Content-Length: 2\n\n{}'],
  ]) {
    test(`broken framing (${name}): the server exits with a log line`, async () => {
      const child = spawnServer();
      const result = exited(child);
      child.stdin.write(bytes);
      const { code, stderr } = await result;
      assert.equal(code, 1);
      assert.match(stderr, /^go-multistage: the client sent .*, not an LSP frame; exiting\n$/);
    });
  }

  test('requests before initialize get ServerNotInitialized, then work after it', async () => {
    const child = spawnServer();
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    connection.listen();
    try {
      for (const request of [
        connection.sendRequest(HoverRequest.type, {
          textDocument: { uri: 'untitled:Dockerfile' },
          position: { line: 0, character: 0 },
        }),
        connection.sendRequest(DocumentDiagnosticRequest.type, {
          textDocument: { uri: 'untitled:Dockerfile' },
        }),
      ]) {
        await assert.rejects(
          request,
          (error: unknown) =>
            error instanceof ResponseError && error.code === ErrorCodes.ServerNotInitialized,
        );
      }
      const result = await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: null,
        workspaceFolders: null,
        capabilities: {},
      });
      assert.equal(result.serverInfo?.name, 'go-multistage');
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});

describe('cancellation', () => {
  test('$/cancelRequest ends a request queued behind other work, with RequestCancelled', async () => {
    const client = await TestClient.start();
    try {
      const uri = 'untitled:Cancelled';
      await client.open(uri, SINGLE_STAGE);
      await client.diagnostics(uri);
      await client.change(uri, SINGLE_STAGE + 'EXPOSE 8080\n');
      // A document analysed whole, for a moment: the code action and its cancellation queue up
      // behind it, as they do behind any long request.
      const busy = 'untitled:Busy';
      await client.open(busy, manyStages(4000));
      const pulled = client.diagnostics(busy);
      // The request and its cancellation in one write, so that the server reads both before the
      // request's work begins, however loaded the machine (sent one by one, the cancellation
      // could arrive after the answer).
      const id = 'cancelled-code-action';
      await client.writeRaw(
        Buffer.concat([
          frame(
            JSON.stringify({
              jsonrpc: '2.0',
              id,
              method: CodeActionRequest.method,
              params: {
                textDocument: { uri },
                range: { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } },
                context: { diagnostics: [] },
              },
            }),
          ),
          frame(JSON.stringify({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id } })),
        ]),
      );
      const answer = await client.until(
        () => client.messages().find((m) => (m as { id?: unknown }).id === id),
        'the answer to the cancelled request',
        60_000,
      );
      assert.deepEqual(answer, {
        jsonrpc: '2.0',
        id,
        error: { code: LSPErrorCodes.RequestCancelled, message: 'cancelled' },
      });
      await pulled;
      // The next request on it is answered.
      assert.ok((await client.diagnostics(uri)).length > 0);
    } finally {
      await client.stop();
    }
  });
});

/** A Go Dockerfile of about `bytes`: many build stages, and a scratch stage that runs a shell. */
function largeDockerfile(bytes: number): string {
  const lines: string[] = [];
  for (let i = 0, length = 0; length < bytes; i++) {
    const stage = [
      `FROM golang:1.24-alpine AS build${i}`,
      'WORKDIR /src',
      'COPY . .',
      `RUN CGO_ENABLED=0 go build -o /out/svc${i} ./cmd/svc${i}`,
    ];
    lines.push(...stage);
    length += stage.join('\n').length + 1;
  }
  lines.push('FROM scratch', 'COPY --from=build0 /out/svc0 /svc', 'RUN chmod +x /svc');
  lines.push('ENTRYPOINT ["/svc"]');
  return lines.join('\n') + '\n';
}

describe('a document of megabytes', () => {
  test('gets the findings of the stage-scoped rules and a note on what was skipped', async () => {
    const client = await TestClient.start();
    try {
      const uri = 'untitled:Large';
      const text = largeDockerfile(2 * 1024 * 1024);
      await client.open(uri, text);
      const diagnostics = await client.diagnostics(uri);
      const note = diagnostics.find((d) => d.code === undefined);
      assert.match(String(note?.message), /larger than 256 KiB .*checked a few stages at a time/);
      assert.deepEqual(
        diagnostics.filter((d) => d.code === 'run-without-shell').map((d) => d.range.start.line),
        [text.split('\n').indexOf('RUN chmod +x /svc')],
      );
      // Features that need the whole model answer at once, with nothing.
      assert.equal(
        await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }),
        null,
      );
    } finally {
      await client.stop();
    }
  });

  test('requests on another document are answered while it is being analysed', async () => {
    const client = await TestClient.start();
    try {
      const small = 'untitled:Small';
      await client.open(small, SINGLE_STAGE);
      await client.diagnostics(small);
      const large = 'untitled:Large';
      await client.open(large, largeDockerfile(3 * 1024 * 1024));
      const order: string[] = [];
      const pulled = client.diagnostics(large).then(() => order.push('large diagnostics'));
      const hovered = client.connection
        .sendRequest(HoverRequest.type, {
          textDocument: { uri: small },
          position: { line: 0, character: 6 },
        })
        .then(() => order.push('small hover'));
      await Promise.all([pulled, hovered]);
      assert.deepEqual(order, ['small hover', 'large diagnostics']);
    } finally {
      await client.stop();
    }
  });
});
