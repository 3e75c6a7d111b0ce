/**
 * What the extension-host tests share: fixture access, waiting on editor events or polling with a
 * deadline (never a fixed sleep), and small accessors for diagnostics, code actions and settings.
 * New feature tests (outline, snippets, fix-all, grammar) go in their own `*.test.ts` beside this
 * file and build on these helpers; see test/vscode/README.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'go-multistage.go-multistage';
export const SOURCE = 'go-multistage';
export const OUTPUT_CHANNEL = 'Go Multi-Stage';
export const CONVERT_TITLE = 'Convert to multi-stage';

/** How long a wait lasts before the test fails with the state it last saw. */
export const DEFAULT_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 50;

export interface WaitOptions {
  timeoutMs?: number;
  /** What is awaited, for the failure message. */
  what: string;
}

function timedOut(what: string, timeoutMs: number): Error {
  return new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * Polls `probe` until it returns something other than undefined, and returns that. For states
 * the editor fires no event about (activation, processes, files).
 */
export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = DEFAULT_TIMEOUT_MS, what }: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw timedOut(what, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/**
 * Resolves when an editor event makes `check` return something other than undefined (checked at
 * once, then after each event), rejects after the timeout.
 */
export function waitForEvent<E, T>(
  event: vscode.Event<E>,
  check: () => T | undefined,
  { timeoutMs = DEFAULT_TIMEOUT_MS, what }: WaitOptions,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const settle = (value: T): void => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    };
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(timedOut(what, timeoutMs));
    }, timeoutMs);
    const subscription = event(() => {
      const value = check();
      if (value !== undefined) settle(value);
    });
    const now = check();
    if (now !== undefined) settle(now);
  });
}

/** The copied fixture workspace the tests run in (test/vscode/fixtures/workspace). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need the fixture workspace open');
  return folder.uri;
}

export function fixtureUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

/** The text each fixture had when a test first opened it, to put it back after the test. */
const originals = new Map<string, { uri: vscode.Uri; text: string }>();
/** Settings a test changed, to remove after the test. */
const changedSettings = new Set<string>();

/** Opens a fixture document, remembering its text so that {@link restoreWorkspace} can reset it. */
export async function openFixtureDocument(relativePath: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  const key = document.uri.toString();
  if (!originals.has(key)) originals.set(key, { uri: document.uri, text: document.getText() });
  return document;
}

/** Opens a fixture in an editor (pull diagnostics are asked for the documents shown). */
export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await openFixtureDocument(relativePath);
  return vscode.window.showTextDocument(document, { preview: false });
}

/**
 * Puts back every fixture a test changed (text restored and saved, so nothing is left dirty) and
 * removes the settings it set. Runs after each test (a root hook of index.ts).
 */
export async function restoreWorkspace(): Promise<void> {
  for (const key of [...changedSettings]) {
    await vscode.workspace
      .getConfiguration('goMultistage')
      .update(key, undefined, vscode.ConfigurationTarget.Global);
    changedSettings.delete(key);
  }
  for (const { uri, text } of originals.values()) {
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.getText() !== text) await replaceText(document, text);
    // The editor may report the document clean a moment after an edit that restores the saved
    // text, in which case save() answers false: ask again until it is clean.
    await waitFor(async () => (!document.isDirty || (await document.save()) ? true : undefined), {
      what: `${vscode.workspace.asRelativePath(uri)} to be saved`,
    });
  }
}

/** The range of a document's whole text. */
export function wholeRange(document: vscode.TextDocument): vscode.Range {
  return new vscode.Range(
    new vscode.Position(0, 0),
    document.lineAt(document.lineCount - 1).range.end,
  );
}

/** Replaces the whole text of a document through a workspace edit (as a user's edit would). */
export async function replaceText(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, wholeRange(document), text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not edit ${document.uri}`);
}

/** The rule id of a diagnostic (its `code`, which may carry a docs link). */
export function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** go-multistage's diagnostics on a document. */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/** A compact, comparable view of diagnostics for assertions and failure messages. */
export function summarize(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics.map(
    (d) =>
      `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ` +
      `${vscode.DiagnosticSeverity[d.severity]} ${ruleOf(d)}`,
  );
}

/**
 * Waits until go-multistage's diagnostics on `uri` satisfy `accept`, driven by
 * `languages.onDidChangeDiagnostics`, and returns them.
 */
export async function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<vscode.Diagnostic[]> {
  let last: string[] = [];
  try {
    return await waitForEvent(
      vscode.languages.onDidChangeDiagnostics,
      () => {
        const diagnostics = ourDiagnostics(uri);
        last = summarize(diagnostics);
        return accept(diagnostics) ? diagnostics : undefined;
      },
      { timeoutMs, what },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; diagnostics were ${JSON.stringify(last)}`);
  }
}

/** Waits for a diagnostic of `rule` on `uri` and returns it. */
export async function waitForRule(uri: vscode.Uri, rule: string): Promise<vscode.Diagnostic> {
  const diagnostics = await waitForDiagnostics(
    uri,
    (all) => all.some((d) => ruleOf(d) === rule),
    `a ${rule} diagnostic on ${uri.path}`,
  );
  return diagnostics.find((d) => ruleOf(d) === rule)!;
}

/** Waits until no diagnostic of `rule` is left on `uri`. */
export async function waitForNoRule(uri: vscode.Uri, rule: string): Promise<vscode.Diagnostic[]> {
  return waitForDiagnostics(
    uri,
    (all) => !all.some((d) => ruleOf(d) === rule),
    `no ${rule} diagnostic on ${uri.path}`,
  );
}

/** The code actions the editor gets for a range, optionally of one kind. */
export async function codeActionsAt(
  uri: vscode.Uri,
  range: vscode.Range,
  kind?: vscode.CodeActionKind,
): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    kind?.value,
  );
  // A bare Command has a string `command`; a CodeAction's `command`, if any, is an object.
  return (actions ?? []).filter(
    (a): a is vscode.CodeAction => typeof (a as vscode.Command).command !== 'string',
  );
}

/**
 * Code actions of the fix-all kind the editor asks for on save (`source.fixAll`), for when the
 * server offers `source.fixAll.go-multistage`.
 */
export async function fixAllActions(uri: vscode.Uri): Promise<vscode.CodeAction[]> {
  const document = await vscode.workspace.openTextDocument(uri);
  return codeActionsAt(uri, wholeRange(document), vscode.CodeActionKind.SourceFixAll);
}

/** The completion items at a position (snippets included), as the suggest widget gets them. */
export async function completionsAt(
  uri: vscode.Uri,
  position: vscode.Position,
): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    uri,
    position,
  );
  return list?.items ?? [];
}

/** The document symbols of a file (the Outline view and breadcrumbs show these). */
export async function documentSymbols(uri: vscode.Uri): Promise<vscode.DocumentSymbol[]> {
  const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
    'vscode.executeDocumentSymbolProvider',
    uri,
  );
  return symbols ?? [];
}

/** Sets a `goMultistage.*` setting in the user settings (removed again after the test). */
export async function setSetting(key: string, value: unknown): Promise<void> {
  changedSettings.add(key);
  await vscode.workspace
    .getConfiguration('goMultistage')
    .update(key, value, vscode.ConfigurationTarget.Global);
}

/** The go-multistage extension, activated or not. */
export function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  if (!found) throw new Error(`${EXTENSION_ID} is not installed in this window`);
  return found;
}

/** Files under `dir` (recursively) whose name satisfies `accept`. */
export function findFiles(dir: string, accept: (name: string) => boolean): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findFiles(path, accept));
    else if (accept(entry.name)) found.push(path);
  }
  return found;
}

/**
 * The log files of this run. The runner names the folder holding them in
 * GO_MULTISTAGE_VSCODE_LOGS (the shim's sandbox user data, or the user data dir of a desktop run).
 * VS Code writes a log output channel to `<logs>/<session>/exthost1/<extension id>/<name>.log`
 * and the extension host's own log to `remoteexthost.log` (VS Code server) or `exthost.log`.
 */
export function runLogs(): { root: string; outputChannel: string[]; extensionHost: string[] } {
  const root = process.env.GO_MULTISTAGE_VSCODE_LOGS;
  if (!root) throw new Error('GO_MULTISTAGE_VSCODE_LOGS is not set: run the tests via run.mjs');
  const outputChannel = findFiles(root, (name) => name === `${OUTPUT_CHANNEL}.log`).filter((path) =>
    path.split(sep).includes(EXTENSION_ID),
  );
  const extensionHost = findFiles(root, (name) => /^(remote)?exthost\.log$/.test(name));
  return { root, outputChannel, extensionHost };
}

export function readLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n');
}

/**
 * Logs document and diagnostic events as they happen (GO_MULTISTAGE_VSCODE_TRACE=1), to see the
 * order of events when a test fails.
 */
export function traceEditorEvents(): vscode.Disposable {
  const start = Date.now();
  const log = (message: string): void =>
    console.log(`  [trace +${Date.now() - start} ms] ${message}`);
  const relative = (uri: vscode.Uri): string => vscode.workspace.asRelativePath(uri);
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenTextDocument((d) => log(`open ${relative(d.uri)}`)),
    vscode.workspace.onDidCloseTextDocument((d) => log(`close ${relative(d.uri)}`)),
    vscode.languages.onDidChangeDiagnostics((event) => {
      for (const uri of event.uris) {
        log(`diagnostics ${relative(uri)} ${JSON.stringify(summarize(ourDiagnostics(uri)))}`);
      }
    }),
  );
}
