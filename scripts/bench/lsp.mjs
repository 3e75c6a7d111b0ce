// A minimal LSP client for the benchmark: spawns the built server over stdio and talks to it with
// a typed connection from vscode-languageserver-protocol, answering the requests a client must.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

export const SERVER = new URL('../../server/dist/server.js', import.meta.url);

/** Client capabilities of an editor like VS Code; `pull` chooses pull or push diagnostics. */
export function clientCapabilities(pull) {
  return {
    workspace: {
      configuration: true,
      workspaceEdit: { documentChanges: true },
      diagnostics: { refreshSupport: pull },
      didChangeConfiguration: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true },
    },
    textDocument: {
      synchronization: { dynamicRegistration: false, didSave: false },
      codeAction: {
        codeActionLiteralSupport: {
          codeActionKind: { valueSet: ['quickfix', 'refactor', 'refactor.rewrite', 'source'] },
        },
      },
      publishDiagnostics: { versionSupport: true },
      ...(pull ? { diagnostic: { dynamicRegistration: false } } : {}),
    },
  };
}

/** Spawns the server; resolves once `initialize` has answered, with the time it took. */
export async function startServer({ pull = true } = {}) {
  const started = performance.now();
  const child = spawn(process.execPath, [SERVER.pathname, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({})));
  connection.onRequest(RegistrationRequest.type, () => null);
  const published = [];
  const waiters = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    published.push({ at: performance.now(), params });
    for (const waiter of [...waiters]) waiter();
  });
  connection.listen();
  const result = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: null,
    capabilities: clientCapabilities(pull),
  });
  const initializeMs = performance.now() - started;
  await connection.sendNotification(InitializedNotification.type, {});
  let version = 1;
  const server = {
    child,
    connection,
    result,
    initializeMs,
    published,
    stderr: () => stderr,
    /** Resolves with the first publication matching `predicate` (checked on each arrival). */
    waitForPublish(predicate) {
      return new Promise((resolve) => {
        const check = () => {
          const found = published.find(predicate);
          if (found) {
            waiters.splice(waiters.indexOf(check), 1);
            resolve(found);
          }
        };
        waiters.push(check);
        check();
      });
    },
    async open(uri, text) {
      await connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'dockerfile', version: version++, text },
      });
    },
    async change(uri, changes) {
      const v = version++;
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: v },
        contentChanges: changes,
      });
      return v;
    },
    pull(uri) {
      return connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    },
    codeActions(uri, range, diagnostics, only) {
      return connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range,
        context: { diagnostics, ...(only ? { only } : {}) },
      });
    },
    /** RSS and peak RSS of the server process, in bytes (Linux /proc). */
    memory() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const field = (name) =>
        Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
      return { rss: field('VmRSS'), peak: field('VmHWM') };
    },
    async stop() {
      try {
        await connection.sendRequest(ShutdownRequest.type);
        await connection.sendNotification(ExitNotification.type);
      } catch {
        // already gone
      }
      await new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill(), 2000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      connection.dispose();
    },
  };
  return server;
}

export function fileUri(path) {
  return pathToFileURL(path).href;
}
