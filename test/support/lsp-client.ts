/**
 * A small LSP client for protocol tests: spawns the built server over stdio and talks to it with
 * a typed connection from vscode-languageserver-protocol. It answers the server's requests
 * (configuration, registration, refresh) and records what the server sends.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ApplyWorkspaceEditRequest,
  ShowDocumentRequest,
  type ShowDocumentParams,
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
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { spawnServer } from './server-process';

export { SERVER } from './server-process';

export interface ClientOptions {
  /** Advertise pull diagnostics (default) or rely on push. */
  pull?: boolean;
  /** The `goMultistage` settings the client answers with. */
  settings?: Record<string, unknown>;
  workspaceFolder?: string;
  initializationOptions?: Record<string, unknown>;
}

export class TestClient {
  readonly connection: ProtocolConnection;
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
  private readonly waiters: (() => void)[] = [];

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    options: ClientOptions,
  ) {
    this.settings = options.settings ?? {};
    this.connection = createProtocolConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection.onError(([error]) => this.errors.push(String(error)));
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

  static async start(options: ClientOptions = {}): Promise<TestClient> {
    const child = spawnServer();
    const client = new TestClient(child, options);
    const capabilities: ClientCapabilities = {
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
        rename: { prepareSupport: true },
        codeAction: {
          codeActionLiteralSupport: {
            codeActionKind: { valueSet: ['quickfix', 'refactor', 'refactor.rewrite', 'source'] },
          },
        },
        publishDiagnostics: { versionSupport: true },
        ...(options.pull === false ? {} : { diagnostic: { dynamicRegistration: false } }),
      },
    };
    const folder = options.workspaceFolder;
    await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folder ? pathToFileURL(folder).href : null,
      workspaceFolders: folder ? [{ uri: pathToFileURL(folder).href, name: 'workspace' }] : null,
      capabilities,
      initializationOptions: options.initializationOptions,
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private readonly versions = new Map<string, number>();

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'dockerfile', version: 1, text },
    });
  }

  /** Replaces the whole text; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
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

  /** Pulls the diagnostics of a document. */
  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const report = await this.connection.sendRequest(DocumentDiagnosticRequest.type, {
      textDocument: { uri },
    });
    return report.kind === 'full' ? report.items : [];
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

  /** Shuts the server down; resolves with its exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', resolve));
    if (this.child.exitCode === null) {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    }
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}

export function uri(name: string): string {
  return pathToFileURL(join('/nonexistent-workspace', name)).href;
}
