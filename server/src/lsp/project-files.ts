/**
 * The files around a Dockerfile that the analysis uses: the go.mod of the module it builds, the
 * build context listing, the builds the project's build files declare and its configuration
 * file. Read from disk, cached, and invalidated on file events.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExplicitTargets, BuildContext } from '../core/types';
import { listBuildContext } from '../node/build-context';
import { findGoMod, readGoMod, type FoundGoMod } from '../node/go-mod';
import { contextFor } from '../node/project';
import { ProjectBuilds, repositoryRoot, type FoundBuild } from '../node/project-builds';
import {
  configGoMod,
  projectView,
  type FoundConfig,
  type ProjectView,
} from '../node/project-settings';

const CONTEXT_TTL_MS = 10_000;

/**
 * The files whose changes re-check open Dockerfiles: go.mod, the project's configuration file
 * and the build files (compose, Bake, Makefiles, scripts, CI workflows, composite actions,
 * Taskfiles, justfiles).
 */
export const PROJECT_FILE_GLOBS = [
  '**/go.mod',
  '**/.go-multistage.json',
  '**/{compose,docker-compose}*.{yml,yaml}',
  '**/docker-bake*.{hcl,json}',
  '**/{Makefile,makefile,GNUmakefile,*.mk}',
  '**/*.{sh,bash}',
  '**/.github/workflows/*.{yml,yaml}',
  // Composite actions, whose run steps may build.
  '**/action.{yml,yaml}',
  '**/.gitlab-ci.{yml,yaml}',
  '**/{Taskfile,taskfile}{,.dist}.{yml,yaml}',
  '**/{justfile,Justfile,JUSTFILE,.justfile,*.just}',
  // Files build scripts source and Makefiles include for their variables.
  '**/{.env,*.env}',
];

export interface ProjectInfo {
  goMod?: FoundGoMod;
  context?: BuildContext;
  builds?: FoundBuild[];
  /** Builds whose Dockerfile is a variable that may name this one. */
  possibleBuilds?: FoundBuild[];
  targets?: ExplicitTargets;
  /** The project's configuration file, as far as the workspace's trust lets it apply. */
  config?: FoundConfig;
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
  private readonly views = new Map<string, { at: number; key: string; view: ProjectView }>();
  private readonly builds: ProjectBuilds;
  /** The folder each listed context is of (for the status the client shows). */
  private readonly roots = new WeakMap<BuildContext, string>();
  private workspaceFolders: string[] = [];
  private readonly said = new Set<string>();
  /**
   * Whether the workspace is trusted: in Restricted Mode a repository's configuration file may
   * not choose the go.mod read or the image Convert writes (its targets and severities apply).
   */
  trusted = true;

  /** `log` is told, once each, of project files that are there but were not read, and why. */
  constructor(private readonly log: (message: string) => void = () => undefined) {
    this.builds = new ProjectBuilds(this.skipped, CONTEXT_TTL_MS);
  }

  private say(message: string): void {
    if (this.said.has(message)) return;
    this.said.add(message);
    this.log(message);
  }

  private readonly skipped = (path: string, reason: string): void =>
    this.say(`go-multistage: skipped ${path}: ${reason}`);

  private readonly problem = (path: string, message: string): void =>
    this.say(`go-multistage: ${path}: ${message}`);

  /** The workspace folders on disk. */
  get folders(): readonly string[] {
    return this.workspaceFolders;
  }

  setWorkspaceFolders(uris: readonly string[]): void {
    this.workspaceFolders = [
      ...new Set(uris.map((u) => filePath(u)).filter((p): p is string => p !== undefined)),
    ];
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

  /** The builds and configuration of a Dockerfile on disk, kept for a few seconds. */
  private viewFor(path: string, targets: readonly string[]): { root: string; view: ProjectView } {
    const dir = dirname(path);
    const root = repositoryRoot(dir, this.boundaryFor(dir));
    const key = JSON.stringify([root, targets]);
    const cached = this.views.get(path);
    const now = Date.now();
    if (cached && cached.key === key && now - cached.at < CONTEXT_TTL_MS) {
      return { root, view: cached.view };
    }
    const explicit =
      targets.length > 0 ? { names: [...targets], source: 'goMultistage.targets' } : undefined;
    let view = projectView(path, root, this.builds, {
      targets: explicit,
      skipped: this.skipped,
      problem: this.problem,
    });
    if (!this.trusted && view.config) {
      const { runtimeImage, goMod, ...rest } = view.config.config;
      if (runtimeImage !== undefined || goMod !== undefined) {
        this.problem(
          view.config.path,
          'runtimeImage and goMod are not applied in an untrusted workspace (Restricted Mode)',
        );
      }
      view = { ...view, config: { path: view.config.path, config: rest } };
    }
    this.views.set(path, { at: now, key, view });
    return { root, view };
  }

  /**
   * go.mod, build context, builds and configuration for a document, when it is a file on disk.
   * `goModSetting` names a go.mod to use instead of the configuration file's or the nearest one
   * (absolute, or relative to the workspace folder); `targets` are the stages the user named.
   */
  forDocument(
    uri: string,
    text: string,
    goModSetting = '',
    targets: readonly string[] = [],
  ): ProjectInfo {
    const path = filePath(uri);
    if (path === undefined) return {};
    const { root, view } = this.viewFor(path, targets);
    const configured =
      goModSetting === '' ? configGoMod(view.config, root, this.problem) : undefined;
    const goMod = configured ? this.readGoModAt(configured) : this.goModFor(uri, goModSetting);
    const context = view.contextDir
      ? this.listing(view.contextDir, path)
      : contextFor(path, text, goMod?.path, (d) => this.listing(d, path));
    return {
      goMod,
      context,
      ...(view.builds.length > 0 ? { builds: view.builds } : {}),
      ...(view.possibleBuilds.length > 0 ? { possibleBuilds: view.possibleBuilds } : {}),
      ...(view.targets ? { targets: view.targets } : {}),
      ...(view.config ? { config: view.config } : {}),
    };
  }

  /** The configuration file's settings for a document on disk (for the rule severities). */
  configFor(uri: string): FoundConfig['config'] | undefined {
    const path = filePath(uri);
    return path === undefined ? undefined : this.viewFor(path, []).view.config?.config;
  }

  private readGoModAt(path: string): FoundGoMod | undefined {
    if (!this.goMods.has(path)) {
      try {
        this.goMods.set(path, readGoMod(path));
      } catch (error) {
        this.skipped(path, String((error as Error).message));
        this.goMods.set(path, undefined);
      }
    }
    return this.goMods.get(path);
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

  /**
   * A folder's context listing for a Dockerfile, kept for a few seconds (typing must not walk the
   * tree): one per folder, and one per Dockerfile that has its own ignore file.
   */
  private listing(dir: string, dockerfile: string): BuildContext | undefined {
    const key = existsSync(`${dockerfile}.dockerignore`) ? `${dir}\0${dockerfile}` : dir;
    const cached = this.contexts.get(key);
    const now = Date.now();
    if (cached && now - cached.at < CONTEXT_TTL_MS) return cached.context;
    const context = listBuildContext(dir, this.skipped, dockerfile);
    this.contexts.set(key, { at: now, context });
    if (context) this.roots.set(context, dir);
    return context;
  }

  /** The folder of a build context this reader listed. */
  rootOf(context: BuildContext): string | undefined {
    return this.roots.get(context);
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

  /** A go.mod, a build file or the configuration file was created, changed or deleted. */
  invalidate(): void {
    this.goMods.clear();
    this.contexts.clear();
    this.views.clear();
    this.builds.invalidate();
    this.said.clear();
  }
}
