/**
 * The go-multistage language server: wires the LSP handlers to the analysis core. Runs over
 * stdio (`--stdio`) or Node IPC (`--node-ipc`); nothing but protocol is ever written to stdout.
 */
import {
  CodeLensRefreshRequest,
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
import { codeActions, FIX_ALL_KIND, type EditSupport } from './lsp/code-actions';
import { stageEditingCompletions, templateCompletions } from './lsp/completion';
import { toLspDiagnostic } from './lsp/mapping';
import { ProjectFiles } from './lsp/project-files';
import { SettingsStore } from './lsp/settings';
import { codeLenses } from './lsp/code-lens';
import { definition } from './lsp/definition';
import { documentHighlights } from './lsp/document-highlight';
import { documentSymbols } from './lsp/document-symbol';
import { executeCommand, SERVER_COMMANDS } from './lsp/execute-command';
import { hover } from './lsp/hover';
import { prepareRename } from './lsp/prepare-rename';
import { references } from './lsp/references';
import { rename } from './lsp/rename';

const connection = createConnection();
const documents = new TextDocuments(TextDocument);
const project = new ProjectFiles();
const analyses = new Analyses(project);
let settings: SettingsStore;
let pullDiagnostics = false;
let refreshSupport = false;
const editSupport: EditSupport = { versioned: false, annotations: false };
/** The editor contributes go-multistage's snippets itself (the VS Code extension does). */
let editorHasSnippets = false;
/** The editor has its own Convert command (the VS Code extension: a Quick Pick of runtimes). */
let editorHasConvertCommand = false;
let applyEditSupport = false;
let codeLensRefresh = false;
const pushTimers = new Map<string, NodeJS.Timeout>();

connection.onInitialize((params): InitializeResult => {
  const capabilities = params.capabilities;
  pullDiagnostics = capabilities.textDocument?.diagnostic !== undefined;
  refreshSupport = capabilities.workspace?.diagnostics?.refreshSupport === true;
  editSupport.versioned = capabilities.workspace?.workspaceEdit?.documentChanges === true;
  editSupport.annotations =
    capabilities.workspace?.workspaceEdit?.changeAnnotationSupport !== undefined;
  editorHasSnippets =
    (params.initializationOptions as { snippetsContributed?: unknown } | undefined)
      ?.snippetsContributed === true;
  editorHasConvertCommand =
    (params.initializationOptions as { convertCommandContributed?: unknown } | undefined)
      ?.convertCommandContributed === true;
  applyEditSupport = capabilities.workspace?.applyEdit === true;
  codeLensRefresh = capabilities.workspace?.codeLens?.refreshSupport === true;
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
      completionProvider: { triggerCharacters: ['=', ':', ','] },
      documentSymbolProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: capabilities.textDocument?.rename?.prepareSupport
        ? { prepareProvider: true }
        : true,
      hoverProvider: true,
      codeLensProvider: {},
      executeCommandProvider: { commands: SERVER_COMMANDS },
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
  if (codeLensRefresh)
    void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
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
  return codeActions(params, document, analyses.get(document, current), editSupport);
});

connection.onCompletion(async (params) => {
  const current = await settings.get(params.textDocument.uri);
  const templates = templateCompletions(params, documents, project, {
    goModSetting: current.goMod,
    editorHasSnippets,
  });
  const open = await analysisOf(params.textDocument.uri);
  return open ? templates.concat(stageEditingCompletions(params, open.analysis)) : templates;
});

// Stage-aware editing: outline, navigation, rename, hover, and the conversion lens and command.
/** An open document with its settings and its analysis for the current version. */
async function analysisOf(uri: string) {
  const document = documents.get(uri);
  if (!document) return undefined;
  const current = await settings.get(uri);
  return { document, settings: current, analysis: analyses.get(document, current) };
}
const withAnalysis =
  <P extends { textDocument: { uri: string } }, R>(
    handler: (params: P, open: NonNullable<Awaited<ReturnType<typeof analysisOf>>>) => R,
  ) =>
  async (params: P): Promise<R | null> => {
    const open = await analysisOf(params.textDocument.uri);
    return open ? handler(params, open) : null;
  };
connection.onDocumentSymbol(withAnalysis((_, open) => documentSymbols(open.analysis)));
connection.onDefinition(withAnalysis((params, open) => definition(params, open.analysis)));
connection.onReferences(withAnalysis((params, open) => references(params, open.analysis)));
connection.onDocumentHighlight(
  withAnalysis((params, open) => documentHighlights(params, open.analysis)),
);
connection.onPrepareRename(withAnalysis((params, open) => prepareRename(params, open.analysis)));
connection.onRenameRequest(
  withAnalysis((params, open) => rename(params, open.document, open.analysis, editSupport)),
);
connection.onHover(withAnalysis((params, open) => hover(params, open.analysis)));
connection.onCodeLens(
  withAnalysis((_, open) => codeLenses(open.analysis, open.settings, editorHasConvertCommand)),
);
connection.onExecuteCommand((params) =>
  executeCommand(params, {
    current: analysisOf,
    support: editSupport,
    applyEdit: applyEditSupport
      ? (label, edit) => connection.workspace.applyEdit({ label, edit })
      : undefined,
  }),
);

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
