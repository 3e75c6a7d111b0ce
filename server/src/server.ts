/**
 * The go-multistage language server: wires the LSP handlers to the analysis core. Runs over
 * stdio (`--stdio`) or Node IPC (`--node-ipc`); nothing but protocol is ever written to stdout.
 */
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyses } from './lsp/analysis';
import { codeActions, FIX_ALL_KIND } from './lsp/code-actions';
import { templateCompletions } from './lsp/completion';
import { toLspDiagnostic } from './lsp/mapping';
import { ProjectFiles } from './lsp/project-files';
import { SettingsStore } from './lsp/settings';

const connection = createConnection();
const documents = new TextDocuments(TextDocument);
const project = new ProjectFiles();
const analyses = new Analyses(project);
let settings: SettingsStore;
let pullDiagnostics = false;
let refreshSupport = false;
let versionedEdits = false;
/** The editor contributes go-multistage's snippets itself (the VS Code extension does). */
let editorHasSnippets = false;
const pushTimers = new Map<string, NodeJS.Timeout>();

connection.onInitialize((params): InitializeResult => {
  const capabilities = params.capabilities;
  pullDiagnostics = capabilities.textDocument?.diagnostic !== undefined;
  refreshSupport = capabilities.workspace?.diagnostics?.refreshSupport === true;
  versionedEdits = capabilities.workspace?.workspaceEdit?.documentChanges === true;
  editorHasSnippets =
    (params.initializationOptions as { snippetsContributed?: unknown } | undefined)
      ?.snippetsContributed === true;
  settings = new SettingsStore(connection, capabilities.workspace?.configuration === true);
  project.setWorkspaceFolders(
    (params.workspaceFolders ?? [])
      .map((f) => f.uri)
      .concat(params.rootUri ? [params.rootUri] : []),
  );
  const result: InitializeResult = {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: {
        codeActionKinds: ['quickfix', 'refactor.rewrite', FIX_ALL_KIND],
      },
      completionProvider: {},
    },
    serverInfo: { name: 'go-multistage' },
  };
  if (pullDiagnostics) {
    result.capabilities.diagnosticProvider = {
      identifier: 'go-multistage',
      interFileDependencies: false,
      workspaceDiagnostics: false,
    };
  }
  return result;
});

connection.onInitialized(() => {
  // Ask to hear about go.mod changes and settings changes, where the client lets us register.
  void connection.client
    .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/go.mod' }] })
    .catch(() => undefined);
  void connection.client
    .register(DidChangeConfigurationNotification.type, { section: 'goMultistage' })
    .catch(() => undefined);
});

async function diagnosticsFor(document: TextDocument) {
  const current = await settings.get(document.uri);
  return analyses.get(document, current).diagnostics.map(toLspDiagnostic);
}

/** Re-checks every open document (settings or go.mod changed). */
function recheckAll(): void {
  analyses.clear();
  if (pullDiagnostics) {
    if (refreshSupport) void connection.languages.diagnostics.refresh().catch(() => undefined);
    return;
  }
  for (const document of documents.all()) schedulePush(document, 0);
}

function schedulePush(document: TextDocument, delay = 120): void {
  if (pullDiagnostics) return;
  clearTimeout(pushTimers.get(document.uri));
  pushTimers.set(
    document.uri,
    setTimeout(() => {
      pushTimers.delete(document.uri);
      const latest = documents.get(document.uri);
      if (!latest) return;
      void diagnosticsFor(latest).then(
        (diagnostics) => {
          // Drop results for a version that has since changed.
          if (documents.get(latest.uri)?.version !== latest.version) return;
          void connection.sendDiagnostics({
            uri: latest.uri,
            version: latest.version,
            diagnostics,
          });
        },
        () => undefined,
      );
    }, delay),
  );
}

connection.languages.diagnostics.on(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  return { kind: DocumentDiagnosticReportKind.Full, items: await diagnosticsFor(document) };
});

documents.onDidOpen((event) => schedulePush(event.document, 0));
documents.onDidChangeContent((event) => schedulePush(event.document));
documents.onDidClose((event) => {
  clearTimeout(pushTimers.get(event.document.uri));
  analyses.forget(event.document.uri);
  settings.forget(event.document.uri);
  if (!pullDiagnostics)
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
});

connection.onCodeAction(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  const current = await settings.get(document.uri);
  return codeActions(
    params,
    document,
    analyses.get(document, current),
    current.runtimeImage,
    versionedEdits,
  );
});

connection.onCompletion(async (params) => {
  const current = await settings.get(params.textDocument.uri);
  return templateCompletions(params, documents, project, {
    goModSetting: current.goMod,
    editorHasSnippets,
  });
});

connection.onDidChangeConfiguration((change) => {
  settings.changed(change.settings);
  recheckAll();
});

connection.onDidChangeWatchedFiles(() => {
  project.invalidate();
  recheckAll();
});

documents.listen(connection);
connection.listen();
