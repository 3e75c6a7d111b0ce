/**
 * What the project says about a Dockerfile on disk, for the CLI and the language server alike:
 * the builds its build files declare, its configuration file (`.go-multistage.json`, the nearest
 * at or above the Dockerfile, within the repository), and from both the stages that ship, the
 * build context and the go.mod. What the user sets (a CLI flag, a VS Code setting) wins over the
 * configuration file, which wins over what the build files say.
 */
import { lstatSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ExplicitTargets } from '../core/types';
import { CONFIG_FILE_NAME, parseConfig, type ProjectConfig } from '../project/config';
import type { FoundBuild, ProjectBuilds } from './project-builds';
import { readProjectFile, worthReporting, type SkipReporter } from './project-reader';

export interface FoundConfig {
  path: string;
  config: ProjectConfig;
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The configuration file for a Dockerfile's folder: the nearest `.go-multistage.json` at or
 * above it, not above `root`. Problems in it are told to `problem`; a file that cannot be read
 * or is not JSON is skipped.
 */
export function findConfig(
  startDir: string,
  root: string,
  skipped: SkipReporter,
  problem: (path: string, message: string) => void,
): FoundConfig | undefined {
  let dir = startDir;
  for (let depth = 0; depth < 64 && isInside(dir, root); depth++) {
    const path = join(dir, CONFIG_FILE_NAME);
    let exists = false;
    try {
      exists = lstatSync(path, { throwIfNoEntry: false }) !== undefined;
    } catch {
      exists = false;
    }
    if (exists) {
      const read = readProjectFile(path, { within: root });
      if (!read.ok) {
        if (worthReporting(read)) skipped(path, read.reason);
        return undefined;
      }
      const parsed = parseConfig(read.text);
      if (!parsed.ok) {
        skipped(path, parsed.reason);
        return undefined;
      }
      for (const message of parsed.problems) problem(path, `${message} (left out)`);
      return { path, config: parsed.config };
    }
    if (dir === root) break;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** The stages a configuration file names for a Dockerfile: its own entry, else `targets`. */
export function configTargets(
  found: FoundConfig | undefined,
  dockerfilePath: string,
): ExplicitTargets | undefined {
  if (!found) return undefined;
  const key = relative(dirname(found.path), dockerfilePath).split(sep).join('/');
  const own = found.config.dockerfiles?.[key]?.targets;
  if (own && own.length > 0) {
    return { names: own, source: `${CONFIG_FILE_NAME} (dockerfiles["${key}"])` };
  }
  const all = found.config.targets;
  return all && all.length > 0 ? { names: all, source: CONFIG_FILE_NAME } : undefined;
}

/**
 * The go.mod a configuration file names, resolved from its folder; undefined (with a problem
 * told) when it lies outside the repository.
 */
export function configGoMod(
  found: FoundConfig | undefined,
  root: string,
  problem: (path: string, message: string) => void,
): string | undefined {
  const goMod = found?.config.goMod;
  if (!found || goMod === undefined) return undefined;
  const path = resolve(dirname(found.path), goMod);
  if (!isInside(path, root)) {
    problem(found.path, `goMod ${goMod} is outside the repository (left out)`);
    return undefined;
  }
  return path;
}

export interface ProjectView {
  builds: FoundBuild[];
  /** Builds whose Dockerfile is a variable that may name this one (see FoundBuild.possible). */
  possibleBuilds: FoundBuild[];
  config?: FoundConfig;
  /** The stages named to ship: the user's (flag, setting), else the configuration file's. */
  targets?: ExplicitTargets;
  /** The build context the builds declare (the first, when they name several). */
  contextDir?: string;
}

/** The builds, configuration and explicit targets for a Dockerfile. */
export function projectView(
  dockerfilePath: string,
  root: string,
  builds: ProjectBuilds,
  options: {
    /** Targets the user named (`--target`, `goMultistage.targets`): they win. */
    targets?: ExplicitTargets;
    skipped: SkipReporter;
    problem: (path: string, message: string) => void;
  },
): ProjectView {
  const all = builds.buildsFor(dockerfilePath, root);
  const found = all.filter((b) => !b.possible);
  const config = findConfig(dirname(dockerfilePath), root, options.skipped, options.problem);
  const targets =
    options.targets && options.targets.names.length > 0
      ? options.targets
      : configTargets(config, dockerfilePath);
  const contextDir = found.find((b) => b.contextDir !== undefined)?.contextDir;
  return {
    builds: found,
    possibleBuilds: all.filter((b) => b.possible),
    ...(config ? { config } : {}),
    ...(targets ? { targets } : {}),
    ...(contextDir ? { contextDir } : {}),
  };
}
