/**
 * The VS Code side of Go Multi-Stage: starts the language server for Dockerfiles, restarts it on
 * request, stops it on deactivation, asks which runtime to convert to, opens the rule pages and
 * shows what the server found (language status). All analysis and every edit happen in the
 * server.
 */
import * as path from 'node:path';
import { commands, Uri, window, workspace, type ExtensionContext } from 'vscode';
import { StatusItems, type DocumentStatus, type StatusView } from './status';
import {
  ExecuteCommandRequest,
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** The extension's one name: the output channel, the status items, the commands' category. */
const NAME = 'Go Multi-Stage';
const SHOW_LOG = 'go-multistage.showLog';

/** What the extension returns from `activate`: the status it shows, for the tests. */
export interface GoMultistageApi {
  languageStatus(): StatusView | undefined;
}

/** The command behind the rule links of findings and hovers. */
const OPEN_RULE_DOC = 'go-multistage.openRuleDoc';

/** The rules, as the manifest declares their settings: id and what each catches. */
function declaredRules(context: ExtensionContext): { id: string; description: string }[] {
  const manifest = context.extension.packageJSON as {
    contributes?: {
      configuration?: {
        properties?: Record<
          string,
          { properties?: Record<string, { markdownDescription?: string }> }
        >;
      };
    };
  };
  const rules = manifest.contributes?.configuration?.properties?.['goMultistage.rules'];
  return Object.entries(rules?.properties ?? {}).map(([id, entry]) => {
    const text = entry.markdownDescription ?? '';
    const end = text.indexOf(' Default: ');
    return { id, description: (end < 0 ? text : text.slice(0, end)).replace(/`/g, '') };
  });
}

/**
 * Opens a rule's page, shipped in the extension (server/dist/rules/<id>.md), in the Markdown
 * preview: no network, no web site needed. Without the preview (the Markdown extension
 * disabled), as text. Without a rule id (from the Command Palette), asks which rule.
 */
async function openRuleDoc(context: ExtensionContext, id: unknown): Promise<void> {
  if (id === undefined) {
    const picked = await window.showQuickPick(
      declaredRules(context).map((rule) => ({ label: rule.id, detail: rule.description })),
      { title: 'Open a rule page', matchOnDetail: true },
    );
    if (!picked) return;
    id = picked.label;
  }
  if (typeof id !== 'string' || !/^[a-z0-9-]+$/.test(id)) return;
  const page = Uri.file(context.asAbsolutePath(path.join('server', 'dist', 'rules', `${id}.md`)));
  try {
    await workspace.fs.stat(page);
  } catch {
    void window.showWarningMessage(`${NAME} has no page for the rule "${id}".`);
    return;
  }
  try {
    await commands.executeCommand('markdown.showPreview', page);
  } catch {
    await window.showTextDocument(page, { preview: true });
  }
}

export async function activate(context: ExtensionContext): Promise<GoMultistageApi> {
  const module = context.asAbsolutePath(path.join('server', 'dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6019'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    // Files on disk, unsaved editors and virtual workspaces (GitHub Repositories); not the
    // read-only copies in diff views (`git:`), which would report every finding twice.
    documentSelector: [
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'untitled', language: 'dockerfile' },
      { scheme: 'vscode-vfs', language: 'dockerfile' },
    ],
    // The conversion lens runs this extension's command, which asks for the runtime first.
    // In Restricted Mode the repository's .go-multistage.json may not choose files or images.
    // Rule links run this extension's command, which opens the packaged page in the preview.
    initializationOptions: () => ({
      convertCommandContributed: true,
      ruleDocsCommand: OPEN_RULE_DOC,
      workspaceTrusted: workspace.isTrusted,
    }),
    // Hovers link the rule page through that command, and through no other.
    markdown: { isTrusted: { enabledCommands: [OPEN_RULE_DOC] } },
  };
  client = new LanguageClient('goMultistage', NAME, serverOptions, clientOptions);
  context.subscriptions.push(
    commands.registerCommand('go-multistage.restartServer', async () => {
      await client?.restart();
    }),
    commands.registerCommand('go-multistage.convertToMultiStage', convertToMultiStage),
    // Trust granted: the server starts again, now applying all of the project's configuration.
    workspace.onDidGrantWorkspaceTrust(() => void client?.restart()),
    commands.registerCommand(OPEN_RULE_DOC, (id: unknown) => openRuleDoc(context, id)),
    commands.registerCommand(SHOW_LOG, () => client?.outputChannel.show(true)),
  );
  await client.start();
  const status = new StatusItems(
    (uri) =>
      client
        ? client.sendRequest<DocumentStatus>('go-multistage/status', { textDocument: { uri } })
        : Promise.reject(new Error('the language server is not running')),
    NAME,
    SHOW_LOG,
  );
  context.subscriptions.push(status);
  return { languageStatus: () => status.view() };
}

interface RuntimeChoice {
  image: string;
  label: string;
  description: string;
  /** What the conversion decides for this runtime (why the runtime, the user, the files). */
  notes: string[];
  isDefault: boolean;
}

/** Convert to multi-stage: the server lists the runtimes that fit, the user picks one. */
async function convertToMultiStage(uri?: string | Uri): Promise<void> {
  const document = uri
    ? await workspace.openTextDocument(typeof uri === 'string' ? Uri.parse(uri) : uri)
    : window.activeTextEditor?.document;
  if (!client || !document || document.languageId !== 'dockerfile') {
    void window.showInformationMessage('Open a Dockerfile to convert it to multi-stage.');
    return;
  }
  const target = { uri: document.uri.toString(), version: document.version };
  try {
    const { runtimes } = (await client.sendRequest(ExecuteCommandRequest.type, {
      command: 'go-multistage.listConvertRuntimes',
      arguments: [target],
    })) as { runtimes: RuntimeChoice[] };
    const picked = await window.showQuickPick(
      runtimes.map((r) => ({
        label: r.label,
        description: r.isDefault ? `${r.image} (default)` : r.image,
        // The first note says why this runtime (or why root); all of them go to the preview.
        detail: [r.description, ...r.notes.slice(0, 1)].join(' — '),
        image: r.image,
      })),
      { title: 'Convert to multi-stage', placeHolder: 'Runtime image of the final stage' },
    );
    if (!picked) return;
    const result = (await client.sendRequest(ExecuteCommandRequest.type, {
      command: 'go-multistage.convert',
      arguments: [{ ...target, runtimeImage: picked.image }],
    })) as { applied: boolean; failureReason?: string; notes: string[] };
    // The notes are in the preview VS Code shows before applying, and kept in the log.
    client.outputChannel.appendLine(
      `Convert to multi-stage (${picked.image}, ${result.applied ? 'applied' : 'not applied'}): ${document.uri.toString()}`,
    );
    for (const note of result.notes) client.outputChannel.appendLine(`  ${note}`);
    if (!result.applied) {
      void window.showWarningMessage(
        `Convert to multi-stage was not applied${result.failureReason ? `: ${result.failureReason}` : '.'}`,
      );
    }
  } catch (error) {
    void window.showErrorMessage(error instanceof Error ? error.message : String(error));
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
