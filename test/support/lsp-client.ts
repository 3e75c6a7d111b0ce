/**
 * The one LSP client of the protocol tests and the benchmark (scripts/bench.mjs bundles this
 * module with esbuild): spawns the built server over stdio and talks to it the way an editor does,
 * with a typed connection from vscode-languageserver-protocol. It answers the server's requests
 * (configuration, registration, refresh, applyEdit, showDocument), records what the server sends,
 * and parses everything the server writes to stdout strictly as LSP frames (`frameErrors()`).
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  ApplyWorkspaceEditRequest,
  CodeActionRequest,
  CodeLensRefreshRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DiagnosticRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  FileChangeType,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowDocumentRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeAction,
  type Command,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type ShowDocumentParams,
  type TextDocumentContentChangeEvent,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { FrameValidator } from './lsp-frames';
import { spawnServer, type SpawnOptions } from './server-process';

export { SERVER } from './server-process';

export interface ClientOptions extends SpawnOptions {
  /** Advertise pull diagnostics (default) or rely on push. */
  pull?: boolean;
  /** The `goMultistage` settings the client answers with. */
  settings?: Record<string, unknown>;
  workspaceFolder?: string;
  initializationOptions?: Record<string, unknown>;
}

/** The capabilities of an editor like VS Code; `pull` chooses pull or push diagnostics. */
export function editorCapabilities(pull: boolean): ClientCapabilities {
  return {
    workspace: {
      configuration: true,
      didChangeConfiguration: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true },
      // As VS Code: change annotations, which it shows in a preview when they ask for it.
      workspaceEdit: { documentChanges: true, changeAnnotationSupport: { groupsOnLabel: true } },
      diagnostics: { refreshSupport: true },
      applyEdit: true,
      codeLens: { refreshSupport: true },
    },
    window: { showDocument: { support: true } },
    textDocument: {
      synchronization: { dynamicRegistration: false, didSave: false },
      rename: { prepareSupport: true },
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

export class TestClient {
  readonly connection: ProtocolConnection;
  /** The server's answer to `initialize`, and the time from spawn to it (set by `start`). */
  initializeResult!: InitializeResult;
  initializeMs = 0;
  readonly published: PublishDiagnosticsParams[] = [];
  readonly registrations: string[] = [];
  refreshes = 0;
  codeLensRefreshes = 0;
  /** Edits the server asked to apply (workspace/applyEdit); answered with `applyEditResult`. */
  readonly appliedEdits: { label?: string; edit: WorkspaceEdit }[] = [];
  applyEditResult: { applied: boolean; failureReason?: string } = { applied: true };
  /** Documents the server asked to show (window/showDocument). */
  readonly shownDocuments: ShowDocumentParams[] = [];
  settings: Record<string, unknown>;
  readonly errors: string[] = [];
  /** The server's `window/logMessage` lines. */
  readonly logs: string[] = [];
  stderr = '';
  private readonly frames = new FrameValidator();
  private readonly waiters: (() => void)[] = [];
  private readonly versions = new Map<string, number>();

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    options: ClientOptions,
  ) {
    this.settings = options.settings ?? {};
    const forReader = new PassThrough();
    child.stdout.on('data', (chunk: Buffer) => {
      this.frames.push(chunk);
      forReader.write(chunk);
      this.notify();
    });
    child.stdout.on('end', () => forReader.end());
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection = createProtocolConnection(
      new StreamMessageReader(forReader),
      new StreamMessageWriter(child.stdin),
    );
    this.connection.onError(([error]) => this.errors.push(String(error)));
    this.answerServerRequests();
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params.message);
      this.notify();
    });
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      this.notify();
    });
    this.connection.listen();
  }

  private answerServerRequests(): void {
    this.connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => (item.section === 'goMultistage' ? this.settings : null)),
    );
    this.connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations.map((r) => r.method));
    });
    this.connection.onRequest(DiagnosticRefreshRequest.type, () => {
      this.refreshes++;
      this.notify();
    });
    this.connection.onRequest(CodeLensRefreshRequest.type, () => {
      this.codeLensRefreshes++;
      this.notify();
    });
    this.connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => {
      this.appliedEdits.push({ label: params.label, edit: params.edit });
      this.notify();
      return this.applyEditResult;
    });
    this.connection.onRequest(ShowDocumentRequest.type, (params) => {
      this.shownDocuments.push(params);
      return { success: true };
    });
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Resolves when `predicate` holds, re-checked on every message from the server. */
  async until<T>(
    predicate: () => T | undefined | false,
    what: string,
    timeoutMs = 5000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves with the first publication (already received or to come) that matches; no timeout. */
  async waitForPublish(
    match: (p: PublishDiagnosticsParams) => boolean,
  ): Promise<PublishDiagnosticsParams> {
    for (;;) {
      const found = this.published.find(match);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  static async start(options: ClientOptions = {}): Promise<TestClient> {
    const started = performance.now();
    const client = new TestClient(spawnServer(options), options);
    const folder = options.workspaceFolder;
    client.initializeResult = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folder ? pathToFileURL(folder).href : null,
      workspaceFolders: folder ? [{ uri: pathToFileURL(folder).href, name: 'workspace' }] : null,
      capabilities: editorCapabilities(options.pull !== false),
      initializationOptions: options.initializationOptions,
    });
    client.initializeMs = performance.now() - started;
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Opens a document at `version` (1 unless given). */
  async open(uri: string, text: string, version = 1): Promise<void> {
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'dockerfile', version, text },
    });
  }

  /**
   * Replaces the whole text, or applies `changes`; returns the new version: the one after the
   * document's last unless given (a test may send versions out of order).
   */
  async change(
    uri: string,
    text: string | TextDocumentContentChangeEvent[],
    version = (this.versions.get(uri) ?? 0) + 1,
  ): Promise<number> {
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: typeof text === 'string' ? [{ text }] : text,
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, {
      textDocument: { uri },
    });
  }

  version(uri: string): number | undefined {
    return this.versions.get(uri);
  }

  /** Pulls the diagnostics report of a document. */
  pull(uri: string): Promise<DocumentDiagnosticReport> {
    return this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
  }

  /** Pulls the diagnostics of a document. */
  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const report = await this.pull(uri);
    return report.kind === 'full' ? report.items : [];
  }

  async codeActions(
    uri: string,
    range: Range,
    diagnostics: Diagnostic[] = [],
    only?: string[],
  ): Promise<(Command | CodeAction)[]> {
    const actions = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
    return actions ?? [];
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: null,
    });
  }

  async goModChanged(path: string): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(path).href, type: FileChangeType.Changed }],
    });
  }

  /** Writes raw bytes to the server's stdin (for malformed input), in one write. */
  writeRaw(bytes: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.child.stdin.write(bytes, (error) => (error ? reject(error) : resolve())),
    );
  }

  /** Every message the server wrote to stdout, in order (responses included). */
  messages(): readonly unknown[] {
    return this.frames.messages;
  }

  /** What was wrong with the server's stdout (empty when all was protocol); final after `stop`. */
  frameErrors(): string[] {
    return this.frames.errors;
  }

  /** RSS and peak RSS of the server process, in bytes (Linux /proc). */
  memory(): { rss: number; peak: number } {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const field = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
    return { rss: field('VmRSS'), peak: field('VmHWM') };
  }

  /**
   * Shuts the server down (killed if it has not exited 5 s later); resolves with its exit code.
   * Bytes left after the last frame are then among `frameErrors()`.
   */
  async stop(): Promise<number | null> {
    const child = this.child;
    const exited = new Promise<number | null>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });
    if (child.exitCode === null && child.signalCode === null) {
      try {
        await this.connection.sendRequest(ShutdownRequest.type);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        // the server is gone already; its exit is awaited below
      }
    }
    const timer = setTimeout(() => child.kill(), 5_000);
    const code = await exited;
    clearTimeout(timer);
    this.connection.dispose();
    this.frames.finish();
    return code;
  }
}

export function uri(name: string): string {
  return pathToFileURL(join('/nonexistent-workspace', name)).href;
}
