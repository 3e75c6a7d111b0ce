/**
 * What the server found for a document, for an editor to show that it runs and on what: the
 * go.mod it uses, the build context, how many rules are on. Answered to the custom request
 * `go-multistage/status` (see docs/other-editors.md); the VS Code extension shows it as language
 * status items. Also the one line the server logs when it starts.
 */
import { parseGoMod } from '../core/model/gomod';
import { RULES } from '../core/rules';
import { VERSION } from '../core/version';
import { findGoMod } from '../node/go-mod';
import { filePath, type ProjectFiles } from './project-files';
import type { Settings } from './settings';

export const STATUS_REQUEST = 'go-multistage/status';

export interface StatusParams {
  textDocument: { uri: string };
}

export interface DocumentStatus {
  /** The server's version. */
  version: string;
  /** `goMultistage.enable`: findings are reported. */
  enabled: boolean;
  /** The go.mod the document's checks use: its file path, module path and `go` line. */
  goMod?: { path: string; module?: string; go?: string };
  /** The build context: its folder and how many files it holds (after `.dockerignore`). */
  context?: { path: string; files: number };
  /** Why neither can be known: the document is not a file on disk (unsaved, virtual). */
  notOnDisk?: boolean;
  /** The document is too large to analyse whole: checked a few stages at a time. */
  large?: boolean;
  /** Rules that run for this document (the settings' `off` and opt-in rules counted). */
  rules: { on: number; total: number };
}

function goModFacts(text: string): { module?: string; go?: string } {
  const parsed = parseGoMod(text);
  return { module: parsed.module, go: parsed.go };
}

/** How many rules run under these settings. */
export function rulesOn(settings: Settings): number {
  if (!settings.enable) return 0;
  return RULES.filter((rule) => {
    const setting = settings.rules[rule.meta.id];
    if (setting === 'off') return false;
    return rule.meta.enabledByDefault !== false || setting !== undefined;
  }).length;
}

export function documentStatus(
  uri: string,
  text: string,
  settings: Settings,
  project: ProjectFiles,
  large = false,
): DocumentStatus {
  const status: DocumentStatus = {
    version: VERSION,
    enabled: settings.enable,
    rules: { on: rulesOn(settings), total: RULES.length },
  };
  if (filePath(uri) === undefined) return { ...status, notOnDisk: true };
  if (large) {
    // Its build context is not looked for (that reads the whole model), only its go.mod.
    const goMod = project.goModFor(uri, settings.goMod);
    if (goMod) status.goMod = { path: goMod.path, ...goModFacts(goMod.text) };
    return { ...status, large: true };
  }
  const found = project.forDocument(uri, text, settings.goMod);
  if (found.goMod) status.goMod = { path: found.goMod.path, ...goModFacts(found.goMod.text) };
  const root = found.context ? project.rootOf(found.context) : undefined;
  if (found.context && root !== undefined) {
    status.context = { path: root, files: found.context.files.length };
  }
  return status;
}

/**
 * The line logged at start: the version, the workspace folders and whether each has a go.mod at
 * its top (Dockerfiles use the nearest go.mod above them, not above their workspace folder).
 */
export function startupLine(folders: readonly string[]): string {
  const parts = folders.map((folder) => {
    const found = findGoMod(folder, folder);
    const module = found ? parseGoMod(found.text).module : undefined;
    return `${folder} (${found ? `go.mod${module ? ` of ${module}` : ''}` : 'no go.mod at its top'})`;
  });
  return `go-multistage ${VERSION} started; workspace: ${
    parts.length > 0 ? parts.join(', ') : 'none (single files)'
  }`;
}
