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
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyses, Superseded } from './lsp/analysis';
import { codeActions, FIX_ALL_KIND, type EditSupport } from './lsp/code-actions';
import { stageEditingCompletions, templateCompletions } from './lsp/completion';
import { FramingWatcher } from './lsp/framing';
import { noteDiagnostic, toLspDiagnostic } from './lsp/mapping';
import { PROJECT_FILE_GLOBS, ProjectFiles } from './lsp/project-files';
import { SettingsStore } from './lsp/settings';
import { codeLenses } from './lsp/code-lens';
import { definition } from './lsp/definition';
import { documentHighlights } from './lsp/document-highlight';
import { documentSymbols } from './lsp/document-symbol';
import { foldingRanges } from './lsp/folding-range';
import { inlayHints } from './lsp/inlay-hint';
import { documentLinks } from './lsp/document-link';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from './lsp/semantic-tokens';
import { executeCommand, SERVER_COMMANDS } from './lsp/execute-command';
import { hover } from './lsp/hover';
import { prepareRename } from './lsp/prepare-rename';
import { references } from './lsp/references';
import { rename } from './lsp/rename';
import { documentStatus, startupLine, STATUS_REQUEST, type StatusParams } from './lsp/status';
import {
  bundledRuleDocsDirectory,
  commandRuleDocs,
  fileRuleDocs,
  type RuleDocLink,
} from './node/rule-docs';

if (process.argv.includes('--stdio')) {
  // A peer whose bytes are not LSP frames gets no answer from the JSON-RPC library, which then
  // waits for ever: stop instead, saying why (on stderr, the log of a stdio server).
  const framing = new FramingWatcher();
  process.stdin.on('data', (chunk: Buffer) => {
    const problem = framing.push(chunk);
    if (problem === undefined) return;
    process.stderr.write(`go-multistage: the client sent ${problem}, not an LSP frame; exiting\n`);
    process.exit(1);
  });
}

const connection = createConnection();
const documents = new TextDocuments(TextDocument);
const project = new ProjectFiles((message) => connection.console.warn(message));
const analyses = new Analyses(project);
let settings: SettingsStore;
let pullDiagnostics = false;
let refreshSupport = false;
const editSupport: EditSupport = { versioned: false, annotations: false };
/** The editor has its own Convert command (the VS Code extension: a Quick Pick of runtimes). */
let editorHasConvertCommand = false;
let applyEditSupport = false;
let codeLensRefresh = false;
let inlayHintRefresh = false;
let showDocumentSupport = false;
/** Rule pages: the installed `file:` pages, or the editor's own command that opens them. */
const rulePages = fileRuleDocs(bundledRuleDocsDirectory());
let ruleLink: RuleDocLink = rulePages;
const pushTimers = new Map<string, NodeJS.Timeout>();
/** `initialize` has been answered: before it, requests get ServerNotInitialized. */
let initialized = false;

/** Wraps a request handler: refused before `initialize`, as the protocol asks. */
function afterInitialize<P, R>(
  handler: (params: P, token: CancellationToken) => R,
): (params: P, token: CancellationToken) => R {
  return (params, token) => {
    if (!initialized) {
      throw new ResponseError(ErrorCodes.ServerNotInitialized, 'initialize has not been received');
    }
    return handler(params, token);
  };
}

/** A request the client cancelled ends here, with RequestCancelled. */
function throwIfCancelled(token: CancellationToken): void {
  if (token.isCancellationRequested) {
    throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
  }
}

/**
 * Lets `$/cancelRequest` notifications queued behind a request be read before its work starts;
 * then ends the request if the client cancelled it.
 */
async function cancellationPoint(token: CancellationToken): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  throwIfCancelled(token);
}

connection.onInitialize((params): InitializeResult => {
  const capabilities = params.capabilities;
  pullDiagnostics = capabilities.textDocument?.diagnostic !== undefined;
  refreshSupport = capabilities.workspace?.diagnostics?.refreshSupport === true;
  editSupport.versioned = capabilities.workspace?.workspaceEdit?.documentChanges === true;
  editSupport.annotations =
    capabilities.workspace?.workspaceEdit?.changeAnnotationSupport !== undefined;
  editorHasConvertCommand =
    (params.initializationOptions as { convertCommandContributed?: unknown } | undefined)
      ?.convertCommandContributed === true;
  const ruleDocsCommand = (
    params.initializationOptions as { ruleDocsCommand?: unknown } | undefined
  )?.ruleDocsCommand;
  if (typeof ruleDocsCommand === 'string' && /^[\w.-]+$/.test(ruleDocsCommand)) {
    ruleLink = commandRuleDocs(ruleDocsCommand, rulePages);
  }
  applyEditSupport = capabilities.workspace?.applyEdit === true;
  // An editor in a workspace it does not trust says so (VS Code's Restricted Mode).
  project.trusted =
    (params.initializationOptions as { workspaceTrusted?: unknown } | undefined)
      ?.workspaceTrusted !== false;
  showDocumentSupport = capabilities.window?.showDocument?.support === true;
  codeLensRefresh = capabilities.workspace?.codeLens?.refreshSupport === true;
  inlayHintRefresh = capabilities.workspace?.inlayHint?.refreshSupport === true;
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
      completionProvider: { triggerCharacters: ['=', ':', ',', '$', '{', '/'] },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: capabilities.textDocument?.rename?.prepareSupport
        ? { prepareProvider: true }
        : true,
      hoverProvider: true,
      codeLensProvider: {},
      inlayHintProvider: true,
      documentLinkProvider: {},
      semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
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
  initialized = true;
  return result;
});

connection.onInitialized(() => {
  connection.console.info(startupLine(project.folders));
  // Ask to hear about go.mod changes and settings changes, where the client lets us register.
  void connection.client
    .register(DidChangeWatchedFilesNotification.type, {
      watchers: PROJECT_FILE_GLOBS.map((globPattern) => ({ globPattern })),
    })
    .catch(() => undefined);
  void connection.client
    .register(DidChangeConfigurationNotification.type, { section: 'goMultistage' })
    .catch(() => undefined);
});

/** The LSP diagnostics of a document: its findings, and the note of a large document. */
async function diagnosticsFor(document: TextDocument) {
  const current = await settings.get(document.uri);
  const found = await analyses.findings(document, current);
  const diagnostics = found.diagnostics.map((d) => toLspDiagnostic(d, ruleLink));
  return found.note === undefined ? diagnostics : [noteDiagnostic(found.note), ...diagnostics];
}

/** Re-checks every open document (settings or go.mod changed). */
function recheckAll(): void {
  analyses.clear();
  if (codeLensRefresh)
    void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  if (inlayHintRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
  if (pullDiagnostics) {
    if (refreshSupport) void connection.languages.diagnostics.refresh().catch(() => undefined);
    return;
  }
  for (const document of documents.all()) schedulePush(document, 0);
}

function schedulePush(document: TextDocument, delay = 120): void {
  if (pullDiagnostics || !initialized) return;
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

connection.languages.diagnostics.on(
  afterInitialize(async (params, token) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    try {
      const items = await diagnosticsFor(document);
      throwIfCancelled(token);
      return { kind: DocumentDiagnosticReportKind.Full, items };
    } catch (error) {
      if (!(error instanceof Superseded)) throw error;
      // The document changed while it was being analysed: the client asks again for the new one.
      throw new ResponseError(LSPErrorCodes.ServerCancelled, 'the document changed', {
        retriggerRequest: true,
      });
    }
  }),
);

documents.onDidOpen((event) => schedulePush(event.document, 0));
documents.onDidChangeContent((event) => schedulePush(event.document));
documents.onDidClose((event) => {
  clearTimeout(pushTimers.get(event.document.uri));
  analyses.forget(event.document.uri);
  settings.forget(event.document.uri);
  if (!pullDiagnostics)
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
});

connection.onCodeAction(
  afterInitialize(async (params, token) => {
    const open = await analysisOf(params.textDocument.uri, token);
    return open ? codeActions(params, open.document, open.analysis, editSupport) : [];
  }),
);

connection.onCompletion(
  afterInitialize(async (params, token) => {
    const document = documents.get(params.textDocument.uri);
    if (document && analyses.isLarge(document)) return [];
    const current = await settings.get(params.textDocument.uri);
    const templates = templateCompletions(params, documents, project, {
      goModSetting: current.goMod,
    });
    const open = await analysisOf(params.textDocument.uri, token);
    return open ? templates.concat(stageEditingCompletions(params, open.analysis)) : templates;
  }),
);

// Stage-aware editing: outline, navigation, rename, hover, and the conversion lens and command.
/**
 * An open document with its settings and its analysis for the current version; undefined for a
 * document too large to analyse whole (it gets its findings only). Throws RequestCancelled when
 * the client cancelled the request before the analysis began.
 */
async function analysisOf(uri: string, token?: CancellationToken) {
  const document = documents.get(uri);
  if (!document || analyses.isLarge(document)) return undefined;
  const current = await settings.get(uri);
  if (token) await cancellationPoint(token);
  return { document, settings: current, analysis: analyses.get(document, current) };
}
const withAnalysis = <P extends { textDocument: { uri: string } }, R>(
  handler: (params: P, open: NonNullable<Awaited<ReturnType<typeof analysisOf>>>) => R,
) =>
  afterInitialize(async (params: P, token): Promise<R | null> => {
    const open = await analysisOf(params.textDocument.uri, token);
    return open ? handler(params, open) : null;
  });
connection.onDocumentSymbol(withAnalysis((_, open) => documentSymbols(open.analysis)));
connection.onFoldingRanges(withAnalysis((_, open) => foldingRanges(open.analysis)));
connection.onDefinition(withAnalysis((params, open) => definition(params, open.analysis)));
connection.onReferences(withAnalysis((params, open) => references(params, open.analysis)));
connection.onDocumentHighlight(
  withAnalysis((params, open) => documentHighlights(params, open.analysis)),
);
connection.onPrepareRename(withAnalysis((params, open) => prepareRename(params, open.analysis)));
connection.onRenameRequest(
  withAnalysis((params, open) => rename(params, open.document, open.analysis, editSupport)),
);
connection.onHover(withAnalysis((params, open) => hover(params, open.analysis, ruleLink)));
connection.onDocumentLinks(
  withAnalysis((params, open) => documentLinks(params.textDocument.uri, open.analysis)),
);
connection.languages.semanticTokens.on(withAnalysis((_, open) => semanticTokens(open.analysis)));
connection.languages.inlayHint.on(
  withAnalysis((params, open) => inlayHints(params, open.analysis, open.settings)),
);
connection.onCodeLens(
  withAnalysis((_, open) => codeLenses(open.analysis, open.settings, editorHasConvertCommand)),
);
connection.onExecuteCommand(
  afterInitialize((params, token) =>
    executeCommand(params, {
      current: async (uri) => {
        const document = documents.get(uri);
        if (document && analyses.isLarge(document)) {
          throw new ResponseError(
            LSPErrorCodes.RequestFailed,
            `${uri} is too large to convert: it is checked only a few stages at a time.`,
          );
        }
        return analysisOf(uri, token);
      },
      support: editSupport,
      applyEdit: applyEditSupport
        ? (label, edit) => connection.workspace.applyEdit({ label, edit })
        : undefined,
      showDocument: showDocumentSupport
        ? (uri, line) =>
            connection.window
              .showDocument({
                uri,
                takeFocus: true,
                selection: { start: { line, character: 0 }, end: { line, character: 0 } },
              })
              .then((r) => r.success)
        : undefined,
    }),
  ),
);

// What the server found for a document (go.mod, build context, rules on), for the editor's
// status display: see docs/other-editors.md.
connection.onRequest(
  STATUS_REQUEST,
  afterInitialize(async (params: StatusParams) => {
    const uri = params.textDocument.uri;
    const document = documents.get(uri);
    const large = document !== undefined && analyses.isLarge(document);
    return documentStatus(uri, document?.getText() ?? '', await settings.get(uri), project, large);
  }),
);

// Notifications before `initialize` are dropped, as the protocol asks.
connection.onDidChangeConfiguration((change) => {
  if (!initialized) return;
  settings.changed(change.settings);
  recheckAll();
});

connection.onDidChangeWatchedFiles(() => {
  if (!initialized) return;
  project.invalidate();
  recheckAll();
});

documents.listen(connection);
connection.listen();
