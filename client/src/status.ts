/**
 * Two language status items for Dockerfiles (the `{}` beside the language in the status bar):
 * the go.mod and build context the server found for the active Dockerfile, with a link to the
 * log; how many rules are on, with a link to the settings. The server answers what it found to
 * the custom request `go-multistage/status`.
 */
import {
  languages,
  LanguageStatusSeverity,
  window,
  workspace,
  type Disposable,
  type LanguageStatusItem,
  type TextDocument,
} from 'vscode';

/** What the server answers to `go-multistage/status` (server/src/lsp/status.ts). */
export interface DocumentStatus {
  version: string;
  enabled: boolean;
  goMod?: { path: string; module?: string; go?: string };
  context?: { path: string; files: number };
  notOnDisk?: boolean;
  large?: boolean;
  rules: { on: number; total: number };
}

/** The items' texts, for the tests. */
export interface StatusView {
  project: { text: string; detail?: string; command?: string };
  rules: { text: string; detail?: string; command?: string };
}

const SELECTOR = { language: 'dockerfile' };

export class StatusItems implements Disposable {
  private readonly project: LanguageStatusItem;
  private readonly rules: LanguageStatusItem;
  private readonly subscriptions: Disposable[];
  /** Answers for an older document or state are dropped. */
  private generation = 0;

  constructor(
    private readonly ask: (uri: string) => Promise<DocumentStatus>,
    private readonly name: string,
    logCommand: string,
  ) {
    this.project = languages.createLanguageStatusItem('go-multistage.project', SELECTOR);
    this.project.name = `${name}: go.mod and build context`;
    this.project.command = { title: 'Show Log', command: logCommand };
    this.project.text = name;
    this.rules = languages.createLanguageStatusItem('go-multistage.rules', SELECTOR);
    this.rules.name = `${name}: rules`;
    this.rules.command = {
      title: 'Settings',
      command: 'workbench.action.openSettings',
      arguments: ['goMultistage'],
    };
    this.rules.text = name;
    const refresh = (): void => void this.refresh();
    this.subscriptions = [
      window.onDidChangeActiveTextEditor(refresh),
      workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('goMultistage')) refresh();
      }),
      // A go.mod edited or the build context changed: the server checks the file again.
      languages.onDidChangeDiagnostics((e) => {
        const active = window.activeTextEditor?.document.uri.toString();
        if (e.uris.some((uri) => uri.toString() === active)) refresh();
      }),
    ];
    refresh();
  }

  /** Asks the server about the active Dockerfile and shows the answer. */
  async refresh(): Promise<void> {
    const document = window.activeTextEditor?.document;
    if (!document || document.languageId !== 'dockerfile') return;
    const generation = ++this.generation;
    this.project.busy = true;
    try {
      const status = await this.ask(document.uri.toString());
      if (generation === this.generation) this.show(document, status);
    } catch {
      // The server is restarting or stopped: the next event asks again.
    } finally {
      if (generation === this.generation) this.project.busy = false;
    }
  }

  private show(document: TextDocument, status: DocumentStatus): void {
    // Relative to the workspace folder (named too when the window has several).
    const relative = (path: string): string => workspace.asRelativePath(path);
    if (status.goMod) {
      this.project.text = `go.mod: ${status.goMod.module ?? relative(status.goMod.path)}`;
    } else {
      this.project.text = status.notOnDisk ? 'go.mod: unknown' : 'go.mod: none found';
    }
    const details: string[] = [];
    if (status.goMod) {
      details.push(
        `${relative(status.goMod.path)}${status.goMod.go ? ` (go ${status.goMod.go})` : ''}`,
      );
    }
    if (status.notOnDisk) {
      details.push(`${document.uri.scheme}: not a file on disk, checked on its text alone`);
    } else if (status.large) {
      details.push('large file, checked a few stages at a time');
    } else if (status.context) {
      details.push(
        `build context ${relative(status.context.path)} (${status.context.files} files)`,
      );
    } else {
      details.push('build context not found');
    }
    this.project.detail = details.join('; ');
    this.project.severity = LanguageStatusSeverity.Information;
    this.rules.text = status.enabled
      ? `${status.rules.on} of ${status.rules.total} rules on`
      : 'checks off';
    this.rules.detail = `${this.name} ${status.version}`;
    this.rules.severity = status.enabled
      ? LanguageStatusSeverity.Information
      : LanguageStatusSeverity.Warning;
  }

  view(): StatusView {
    const of = (item: LanguageStatusItem) => ({
      text: item.text,
      detail: item.detail,
      command: item.command?.command,
    });
    return { project: of(this.project), rules: of(this.rules) };
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.project.dispose();
    this.rules.dispose();
  }
}
