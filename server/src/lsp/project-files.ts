/**
 * The files around a Dockerfile that the analysis uses: the go.mod of the module it builds and
 * the build context listing. Read from disk, cached, and invalidated on file events.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildContext } from '../core/types';
import { listBuildContext } from '../node/build-context';
import { findGoMod, readGoMod, type FoundGoMod } from '../node/go-mod';
import { contextFor } from '../node/project';

const CONTEXT_TTL_MS = 10_000;

export interface ProjectInfo {
  goMod?: FoundGoMod;
  context?: BuildContext;
}

/** The file-system path of a `file:` URI, else undefined (untitled and virtual documents). */
export function filePath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export class ProjectFiles {
  private readonly goMods = new Map<string, FoundGoMod | undefined>();
  private readonly contexts = new Map<string, { at: number; context?: BuildContext }>();
  private workspaceFolders: string[] = [];
  private readonly said = new Set<string>();

  /** `log` is told, once each, of project files that are there but were not read, and why. */
  constructor(private readonly log: (message: string) => void = () => undefined) {}

  private readonly skipped = (path: string, reason: string): void => {
    const message = `go-multistage: skipped ${path}: ${reason}`;
    if (this.said.has(message)) return;
    this.said.add(message);
    this.log(message);
  };

  setWorkspaceFolders(uris: readonly string[]): void {
    this.workspaceFolders = uris
      .map((u) => filePath(u))
      .filter((p): p is string => p !== undefined);
  }

  private boundaryFor(dir: string): string | undefined {
    let best: string | undefined;
    for (const folder of this.workspaceFolders) {
      if (
        (dir === folder || dir.startsWith(folder + '/') || dir.startsWith(folder + '\\')) &&
        (!best || folder.length > best.length)
      ) {
        best = folder;
      }
    }
    return best;
  }

  /**
   * go.mod and build context for a document, when it is a file on disk. `goModSetting` names a
   * go.mod to use instead of the nearest one (absolute, or relative to the workspace folder).
   */
  forDocument(uri: string, text: string, goModSetting = ''): ProjectInfo {
    const path = filePath(uri);
    if (path === undefined) return {};
    const goMod = this.goModFor(uri, goModSetting);
    return { goMod, context: contextFor(path, text, goMod?.path, (d) => this.listing(d)) };
  }

  /** The go.mod for a document on disk (the setting's, or the nearest one above it). */
  goModFor(uri: string, goModSetting = ''): FoundGoMod | undefined {
    const path = filePath(uri);
    if (path === undefined) return undefined;
    const dir = dirname(path);
    const key = goModSetting === '' ? dir : `${dir}\0${goModSetting}`;
    if (!this.goMods.has(key)) {
      this.goMods.set(
        key,
        goModSetting === ''
          ? findGoMod(dir, this.boundaryFor(dir), this.skipped)
          : this.readSetting(dir, goModSetting),
      );
    }
    return this.goMods.get(key);
  }

  /** A folder's context listing, kept for a few seconds (typing must not walk the tree). */
  private listing(dir: string): BuildContext | undefined {
    const cached = this.contexts.get(dir);
    const now = Date.now();
    if (cached && now - cached.at < CONTEXT_TTL_MS) return cached.context;
    const context = listBuildContext(dir, this.skipped);
    this.contexts.set(dir, { at: now, context });
    return context;
  }

  private readSetting(dir: string, setting: string): FoundGoMod | undefined {
    const base = this.boundaryFor(dir) ?? dir;
    try {
      return readGoMod(isAbsolute(setting) ? setting : resolve(base, setting));
    } catch (error) {
      this.skipped(`the goMultistage.goMod setting (${setting})`, String((error as Error).message));
      return undefined;
    }
  }

  /** A go.mod was created, changed or deleted: forget what was read. */
  invalidate(): void {
    this.goMods.clear();
    this.contexts.clear();
    this.said.clear();
  }
}
