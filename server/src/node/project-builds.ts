/**
 * The build model of a project on disk: the build files from a Dockerfile's folder up to the
 * repository root (compose and Bake files, Makefiles, shell scripts; at the root also
 * .github/workflows/*.yml, .gitlab-ci.yml and the scripts of a few usual folders), read through
 * the project reader, parsed by server/src/project, and resolved to the builds of one
 * Dockerfile. Nothing outside the repository root is read. A file that cannot be read or parsed
 * is skipped with one line (the caller's reporter), never an exception.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProjectBuild } from '../core/types';
import { REPO_ROOT_MARK, SCRIPT_DIR_MARK } from '../project/command-line';
import {
  buildFileKind,
  parseBuildFile,
  type BuildDeclaration,
  type ParsedBuildFile,
} from '../project/index';
import { readProjectFile, ReadBudget, type SkipReporter } from './project-reader';

/** A build of a Dockerfile, with the folder of its declared context when that is known. */
export interface FoundBuild extends ProjectBuild {
  /** The build context (absolute), when the build names one inside the repository. */
  contextDir?: string;
}

/** Folders at the repository root whose scripts and build files are read too. */
const ROOT_FOLDERS = ['scripts', 'script', 'hack', 'build', 'ci', '.ci', 'deploy', 'docker'];
/** Entries of one folder looked at, at most. */
const MAX_ENTRIES = 2000;
/** Build files read for one Dockerfile, at most. */
const MAX_FILES = 200;
/** Reading the build files for one Dockerfile stops after this long. */
const READ_MILLISECONDS = 2000;

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The nearest folder at or above `startDir` that holds `.git`, if any. */
export function gitRoot(startDir: string): string | undefined {
  let dir = startDir;
  for (let depth = 0; depth < 64; depth++) {
    try {
      statSync(join(dir, '.git'));
      return dir;
    } catch {
      // Not here: go up.
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/**
 * The repository root for a folder: the nearest folder at or above it holding `.git`, not above
 * `boundary` (the workspace folder); else `fallback` (the boundary, or the CLI's working
 * directory) when the folder lies inside it, else the folder itself.
 */
export function repositoryRoot(startDir: string, boundary?: string, fallback = boundary): string {
  const git = gitRoot(startDir);
  if (git !== undefined && (boundary === undefined || isInside(git, boundary))) return git;
  return fallback !== undefined && isInside(startDir, fallback) ? fallback : startDir;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

interface CachedFile {
  stamp: string;
  parsed: ParsedBuildFile;
}

/** Finds and reads the build files of a repository, cached by file (size and time stamp). */
export class ProjectBuilds {
  private readonly files = new Map<string, CachedFile>();
  private readonly listings = new Map<string, { at: number; names: string[] }>();

  constructor(
    /** Told of a build file that is there but was skipped, and why. */
    private readonly skipped: SkipReporter = () => undefined,
    /** How long a folder listing is kept (the language server: a few seconds; the CLI: a run). */
    private readonly listingMilliseconds = Number.POSITIVE_INFINITY,
  ) {}

  /** Forgets what was read (a build file changed). */
  invalidate(): void {
    this.files.clear();
    this.listings.clear();
  }

  private list(dir: string): string[] {
    const cached = this.listings.get(dir);
    const now = Date.now();
    if (cached && now - cached.at < this.listingMilliseconds) return cached.names;
    let names: string[] = [];
    try {
      names = readdirSync(dir, { withFileTypes: true })
        .slice(0, MAX_ENTRIES)
        // Not only regular files: a FIFO or a device under a build file's name is refused by
        // the reader, with a word, rather than passed over in silence.
        .filter((e) => !e.isDirectory())
        .map((e) => e.name)
        .sort();
    } catch {
      names = [];
    }
    this.listings.set(dir, { at: now, names });
    return names;
  }

  /** The build files that may build a Dockerfile in `dockerfileDir`, under `root`. */
  buildFiles(dockerfileDir: string, root: string): string[] {
    const found: string[] = [];
    const take = (dir: string, test: (rel: string) => boolean) => {
      for (const name of this.list(dir)) {
        const path = join(dir, name);
        const rel = toPosix(relative(root, path));
        if (buildFileKind(rel) !== undefined && test(rel) && !found.includes(path))
          found.push(path);
      }
    };
    let dir = dockerfileDir;
    for (let depth = 0; depth < 64 && isInside(dir, root); depth++) {
      take(dir, () => true);
      if (dir === root) break;
      dir = dirname(dir);
    }
    take(join(root, '.github', 'workflows'), () => true);
    for (const folder of ROOT_FOLDERS) take(join(root, folder), () => true);
    return found.slice(0, MAX_FILES);
  }

  /** The declarations of one build file, read (or taken from the cache) and parsed. */
  private declarations(path: string, root: string, budget: ReadBudget): BuildDeclaration[] {
    const rel = toPosix(relative(root, path));
    const kind = buildFileKind(rel);
    if (!kind) return [];
    let stamp: string;
    try {
      const stats = statSync(path);
      stamp = `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
    } catch {
      return [];
    }
    const cached = this.files.get(path);
    let parsed: ParsedBuildFile;
    if (cached && cached.stamp === stamp) parsed = cached.parsed;
    else {
      const read = readProjectFile(path, { within: root, budget });
      parsed = read.ok ? parseBuildFile(kind, path, read.text) : read;
      // A file the time budget stopped is tried again next time.
      if (read.ok || read.reason !== 'the time for reading project files is spent') {
        this.files.set(path, { stamp, parsed });
      }
    }
    if (!parsed.ok) {
      if (parsed.reason !== 'not found') this.skipped(path, parsed.reason);
      return [];
    }
    return parsed.builds;
  }

  /** The builds of the Dockerfile at `dockerfilePath` that the repository at `root` declares. */
  buildsFor(dockerfilePath: string, root: string): FoundBuild[] {
    const target = resolve(dockerfilePath);
    let real = target;
    try {
      real = realpathSync(target);
    } catch {
      real = target;
    }
    const budget = new ReadBudget(READ_MILLISECONDS);
    const builds: FoundBuild[] = [];
    for (const file of this.buildFiles(dirname(target), root)) {
      for (const declaration of this.declarations(file, root, budget)) {
        const context = matchDockerfile(declaration, file, root, target, real);
        if (context === undefined) continue;
        builds.push({
          source: {
            kind: declaration.kind,
            file: toPosix(relative(root, file)),
            line: declaration.line,
            label: declaration.label,
            uri: pathToFileURL(file).href,
          },
          ...(declaration.target !== undefined ? { target: declaration.target } : {}),
          ...(declaration.platforms !== undefined ? { platforms: declaration.platforms } : {}),
          ...(declaration.args.length > 0 ? { args: declaration.args } : {}),
          output: declaration.output,
          ...(context !== null ? { contextDir: context } : {}),
        });
      }
    }
    return builds;
  }
}

/** A declaration's working directory, absolute, from one of its bases; null when unknown. */
function workingDirectory(cwd: string | null, base: string, file: string, root: string) {
  if (cwd === null) return null;
  if (cwd.startsWith(SCRIPT_DIR_MARK))
    return resolve(dirname(file), '.' + cwd.slice(SCRIPT_DIR_MARK.length));
  if (cwd.startsWith(REPO_ROOT_MARK)) return resolve(root, '.' + cwd.slice(REPO_ROOT_MARK.length));
  return resolve(base, cwd);
}

/**
 * Whether a declaration builds the Dockerfile: undefined when it does not; else the context
 * folder (null when unknown or outside the repository).
 */
function matchDockerfile(
  declaration: BuildDeclaration,
  file: string,
  root: string,
  dockerfile: string,
  realDockerfile: string,
): string | null | undefined {
  const bases =
    declaration.base === 'file'
      ? [dirname(file)]
      : declaration.base === 'root'
        ? [root]
        : [...new Set([dirname(file), root])];
  for (const base of bases) {
    const cwd = workingDirectory(declaration.cwd, base, file, root);
    if (cwd === null) continue;
    const context = declaration.context === null ? null : resolve(cwd, declaration.context);
    let candidates: string[];
    if (declaration.dockerfile === null) continue;
    if (declaration.dockerfile === undefined) {
      if (context === null) continue;
      candidates = [join(context, 'Dockerfile')];
      if (declaration.containerfileDefault) candidates.push(join(context, 'Containerfile'));
    } else if (declaration.dockerfileFrom === 'context') {
      if (context === null) continue;
      candidates = [resolve(context, declaration.dockerfile)];
    } else {
      candidates = [resolve(cwd, declaration.dockerfile)];
    }
    if (
      candidates.some(
        (c) => c === dockerfile || c === realDockerfile || realOf(c) === realDockerfile,
      )
    ) {
      return context !== null && isInside(context, root) ? context : null;
    }
  }
  return undefined;
}

function realOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
