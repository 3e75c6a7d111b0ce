/**
 * The build model of a project on disk: the build files from a Dockerfile's folder up to the
 * repository root (compose and Bake files, Makefiles, shell scripts; at the root also
 * .github/workflows/*.yml, .gitlab-ci.yml and the scripts of a few usual folders), then those a
 * bounded walk of the repository finds elsewhere (`releasing/do-release.sh`,
 * `.github/actions/build/build.sh`, a composite action's `.github/actions/build/action.yml`),
 * read through the project reader with the files they source or include (`.env`), parsed by
 * server/src/project, and resolved to the builds of one Dockerfile. Nothing outside the
 * repository root is read. A file that cannot be read or parsed is skipped with one line (the
 * caller's reporter), never an exception.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProjectBuild } from '../core/types';
import { REPO_ROOT_MARK, SCRIPT_DIR_MARK } from '../project/command-line';
import { fitsPattern } from '../project/dockerfile-pattern';
import {
  buildFileKind,
  parseBuildFile,
  type BuildDeclaration,
  type IncludeReader,
  type ParsedBuildFile,
} from '../project/index';
import { Deadline, readProjectFile, ReadBudget, type SkipReporter } from './project-reader';

/** A build of a Dockerfile, with the folder of its declared context when that is known. */
export interface FoundBuild extends ProjectBuild {
  /** The build context (absolute), when the build names one inside the repository. */
  contextDir?: string;
  /**
   * The build names its Dockerfile with a variable the build file does not set (`-f
   * $DOCKERFILE`) whose literal parts fit this one: it may be a build of it, or of another.
   */
  possible?: true;
}

/** Folders at the repository root whose scripts and build files are read too. */
const ROOT_FOLDERS = ['scripts', 'script', 'hack', 'build', 'ci', '.ci', 'deploy', 'docker'];
/** Entries of one folder looked at, at most. */
const MAX_ENTRIES = 2000;
/** Build files read for one Dockerfile, at most. */
const MAX_FILES = 200;
/** Reading the build files for one Dockerfile stops after this long. */
const READ_MILLISECONDS = 2000;
/** Files sourced or included by one build file, at most (each within the reader's size cap). */
const MAX_INCLUDES = 16;

/**
 * Bounds of the walk that looks for build files elsewhere in the repository: folders below the
 * root, folders listed, entries looked at, build files kept and time spent. A repository is
 * untrusted input: a tree of a million files costs no more than these.
 */
const WALK = { depth: 6, folders: 5000, entries: 50_000, files: 100, milliseconds: 500 };
/**
 * How long a walk is kept at least: build files coming and going also clear it (`invalidate`,
 * on the editor's file events), so it need not be repeated as often as a folder listing.
 */
const WALK_KEEP_MILLISECONDS = 5 * 60_000;
/** The size cap of a build file the walk found: 256 KiB, larger than any hand-written script. */
const WALKED_FILE_BYTES = 256 * 1024;
/** Folders the walk does not enter: dependencies, generated output, caches, test data. */
const WALK_SKIPS = new Set([
  'node_modules',
  'bower_components',
  'vendor',
  'third_party',
  'third-party',
  'testdata',
  '__pycache__',
  'venv',
]);
/** Hidden folders the walk enters (CI configuration); it skips the others (`.git`, caches). */
const WALK_HIDDEN = new Set([
  '.github',
  '.gitlab',
  '.circleci',
  '.buildkite',
  '.ci',
  '.docker',
  // A dev container's compose file builds a stage of the project's Dockerfile.
  '.devcontainer',
]);

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

/** Files and folders that mark the top of a project that has no `.git` (an export, a tarball). */
const PROJECT_MARKERS = [...WALK_HIDDEN, '.gitlab-ci.yml', '.drone.yml', '.travis.yml'];

/** The highest folder from `dir` up to `top` (both included) holding a CI folder or file. */
function markedProjectRoot(dir: string, top: string): string | undefined {
  let found: string | undefined;
  for (let current = dir, depth = 0; depth < 64; depth++) {
    if (PROJECT_MARKERS.some((name) => existsSync(join(current, name)))) found = current;
    if (current === top) break;
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return found;
}

/**
 * The repository root for a folder: the nearest folder at or above it holding `.git`, not above
 * `boundary` (the workspace folder). Without one, in `fallback` (the boundary, or the CLI's
 * working directory) when the folder lies inside it: the highest folder from the folder up to
 * `fallback` with CI configuration (`.github`, …), so that a project without `.git` linted from
 * the folder above it is still read whole, else `fallback` itself; else the folder itself.
 */
export function repositoryRoot(startDir: string, boundary?: string, fallback = boundary): string {
  const git = gitRoot(startDir);
  if (git !== undefined && (boundary === undefined || isInside(git, boundary))) return git;
  if (fallback === undefined || !isInside(startDir, fallback)) return startDir;
  return markedProjectRoot(startDir, fallback) ?? fallback;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** A file's size, time stamp and inode, or `none` when it is not there. */
function stampOf(path: string): string {
  try {
    const stats = statSync(path);
    return `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
  } catch {
    return 'none';
  }
}

interface CachedFile {
  stamp: string;
  parsed: ParsedBuildFile;
  /** The files it sources or includes that were looked for, with their stamps then. */
  includes: { path: string; stamp: string }[];
}

/** Finds and reads the build files of a repository, cached by file (size and time stamp). */
export class ProjectBuilds {
  private readonly files = new Map<string, CachedFile>();
  private readonly listings = new Map<string, { at: number; names: string[] }>();
  private readonly walks = new Map<string, { at: number; files: string[] }>();

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
    this.walks.clear();
  }

  /**
   * The build files below `root` outside the folders always read, breadth first (the shallow
   * ones first), within the bounds of WALK: not following links to folders, not entering
   * dependency, output or hidden folders other than CI ones.
   */
  walk(root: string): string[] {
    const cached = this.walks.get(root);
    const now = Date.now();
    const keep = Math.max(this.listingMilliseconds, WALK_KEEP_MILLISECONDS);
    if (cached && now - cached.at < keep) return cached.files;
    const files: string[] = [];
    const deadline = new Deadline(WALK.milliseconds);
    let folders = 0;
    let entries = 0;
    let level = [root];
    for (let depth = 0; depth <= WALK.depth && level.length > 0; depth++) {
      const next: string[] = [];
      for (const dir of level) {
        if (folders++ >= WALK.folders || entries >= WALK.entries || deadline.spent) break;
        let listed;
        try {
          listed = readdirSync(dir, { withFileTypes: true }).slice(0, MAX_ENTRIES);
        } catch {
          continue;
        }
        listed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of listed) {
          if (entries++ >= WALK.entries) break;
          const path = join(dir, entry.name);
          if (entry.isDirectory()) {
            const hidden = entry.name.startsWith('.');
            if (hidden ? WALK_HIDDEN.has(entry.name) : !WALK_SKIPS.has(entry.name)) next.push(path);
          } else if (
            files.length < WALK.files &&
            buildFileKind(toPosix(relative(root, path))) !== undefined
          ) {
            files.push(path);
          }
        }
      }
      level = next;
    }
    this.walks.set(root, { at: now, files });
    return files;
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

  /**
   * The build files that may build a Dockerfile in `dockerfileDir`, under `root`: those always
   * read, then those the walk found (`walked`).
   */
  buildFiles(dockerfileDir: string, root: string): { path: string; walked: boolean }[] {
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
    const usual = found.length;
    const seen = new Set(found);
    for (const path of this.walk(root)) if (!seen.has(path)) found.push(path);
    return found.slice(0, MAX_FILES).map((path, i) => ({ path, walked: i >= usual }));
  }

  /** The declarations of one build file, read (or taken from the cache) and parsed. */
  private declarations(
    path: string,
    root: string,
    budget: ReadBudget,
    maxBytes?: number,
  ): BuildDeclaration[] {
    const rel = toPosix(relative(root, path));
    const kind = buildFileKind(rel);
    if (!kind) return [];
    const stamp = stampOf(path);
    if (stamp === 'none') return [];
    // The same file may be read under the walk's smaller cap for one Dockerfile, not another.
    const key = `${stamp}:${maxBytes ?? ''}`;
    const cached = this.files.get(path);
    let parsed: ParsedBuildFile;
    if (
      cached &&
      cached.stamp === key &&
      cached.includes.every((i) => stampOf(i.path) === i.stamp)
    ) {
      parsed = cached.parsed;
    } else {
      const read = readProjectFile(path, { within: root, budget, maxBytes });
      const includes: CachedFile['includes'] = [];
      const include = includeReader(path, root, kind === 'makefile', budget, includes);
      parsed = read.ok ? parseBuildFile(kind, path, read.text, include) : read;
      // A file the time budget stopped is tried again next time.
      if (read.ok || read.reason !== 'the time for reading project files is spent') {
        this.files.set(path, { stamp: key, parsed, includes });
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
    for (const { path: file, walked } of this.buildFiles(dirname(target), root)) {
      const maxBytes = walked ? WALKED_FILE_BYTES : undefined;
      for (const declaration of this.declarations(file, root, budget, maxBytes)) {
        const match = matchDockerfile(declaration, file, root, target, real);
        if (match === undefined) continue;
        const { context, possible } = match;
        const shown = toPosix(relative(root, file));
        builds.push({
          source: {
            kind: declaration.kind,
            file: shown,
            line: declaration.line,
            label: declaration.label,
            uri: pathToFileURL(file).href,
          },
          ...(declaration.target !== undefined ? { target: declaration.target } : {}),
          ...(declaration.platforms !== undefined ? { platforms: declaration.platforms } : {}),
          ...(declaration.args.length > 0 ? { args: declaration.args } : {}),
          output: declaration.output,
          ...(declaration.classic ? { classic: true } : {}),
          ...(declaration.runner ? { runner: declaration.runner } : {}),
          ...(declaration.runs
            ? { runs: declaration.runs.map((run) => ({ ...run, file: shown })) }
            : {}),
          ...(declaration.ports
            ? { ports: declaration.ports.map((ports) => ({ ...ports, file: shown })) }
            : {}),
          ...(declaration.checks
            ? { checks: declaration.checks.map((check) => ({ ...check, file: shown })) }
            : {}),
          ...(declaration.hostMounts
            ? { hostMounts: declaration.hostMounts.map((m) => ({ ...m, file: shown })) }
            : {}),
          ...(context !== null ? { contextDir: context } : {}),
          ...(possible ? { possible: true as const } : {}),
        });
      }
    }
    return builds;
  }
}

/**
 * Reads, for a build file, the files it sources or includes: by the path as written, from the
 * file's folder, and for a script (which may be run from the repository root) from the root
 * too; through the project reader (regular files inside the repository, size cap, the shared
 * time budget), MAX_INCLUDES at most. Each file looked for is noted in `looked` with its stamp,
 * so that the cached parse is dropped when one of them changes.
 */
function includeReader(
  file: string,
  root: string,
  makefile: boolean,
  budget: ReadBudget,
  looked: { path: string; stamp: string }[],
): IncludeReader {
  let reads = 0;
  return (written) => {
    if (reads >= MAX_INCLUDES || written === '' || isAbsolute(written) || written.startsWith('~'))
      return undefined;
    reads++;
    let candidates: string[];
    if (written.startsWith(SCRIPT_DIR_MARK))
      candidates = [resolve(dirname(file), '.' + written.slice(SCRIPT_DIR_MARK.length))];
    else if (written.startsWith(REPO_ROOT_MARK))
      candidates = [resolve(root, '.' + written.slice(REPO_ROOT_MARK.length))];
    else if (makefile) candidates = [resolve(dirname(file), written)];
    else candidates = [...new Set([resolve(dirname(file), written), resolve(root, written)])];
    for (const path of candidates) {
      if (!isInside(path, root)) continue;
      const stamp = stampOf(path);
      looked.push({ path, stamp });
      if (stamp === 'none') continue;
      const read = readProjectFile(path, { within: root, budget });
      if (read.ok && !read.text.includes('\u0000')) return read.text;
    }
    return undefined;
  };
}

/**
 * A declaration's working directory (or another of its paths), absolute, from one of its bases:
 * a path marked as the build file's folder or the repository root is from there; null when
 * unknown.
 */
function workingDirectory(cwd: string | null, base: string, file: string, root: string) {
  if (cwd === null) return null;
  if (cwd.startsWith(SCRIPT_DIR_MARK))
    return resolve(dirname(file), '.' + cwd.slice(SCRIPT_DIR_MARK.length));
  if (cwd.startsWith(REPO_ROOT_MARK)) return resolve(root, '.' + cwd.slice(REPO_ROOT_MARK.length));
  return resolve(base, cwd);
}

/**
 * Whether a declaration builds the Dockerfile: undefined when it does not; else the context
 * folder (null when unknown or outside the repository), and whether it only may (its Dockerfile
 * is a variable whose literal parts fit this one's path).
 */
function matchDockerfile(
  declaration: BuildDeclaration,
  file: string,
  root: string,
  dockerfile: string,
  realDockerfile: string,
): { context: string | null; possible: boolean } | undefined {
  if (declaration.dockerfile === null) {
    const pattern = declaration.dockerfilePattern;
    if (pattern === undefined) return undefined;
    return fitsPattern(toPosix(dockerfile), pattern) ||
      fitsPattern(toPosix(realDockerfile), pattern)
      ? { context: null, possible: true }
      : undefined;
  }
  const bases =
    declaration.base === 'file'
      ? [dirname(file)]
      : declaration.base === 'root'
        ? [root]
        : [...new Set([dirname(file), root])];
  const matched: (string | null)[] = [];
  for (const base of bases) {
    const cwd = workingDirectory(declaration.cwd, base, file, root);
    if (cwd === null) continue;
    const context =
      declaration.context === null ? null : workingDirectory(declaration.context, cwd, file, root);
    let candidates: string[];
    if (declaration.dockerfile === undefined) {
      if (context === null) continue;
      candidates = [join(context, 'Dockerfile')];
      // BuildKit reads a lowercase `dockerfile` when the context has no `Dockerfile` (asked only
      // of a file so named: a stat per declaration otherwise).
      const lowercase =
        basename(dockerfile) === 'dockerfile' || basename(realDockerfile) === 'dockerfile';
      if (lowercase && !existsSync(candidates[0])) {
        candidates.push(join(context, 'dockerfile'));
      }
      if (declaration.containerfileDefault) candidates.push(join(context, 'Containerfile'));
    } else if (declaration.dockerfileFrom === 'context') {
      if (context === null) continue;
      // A path from the compose file's folder (`$PWD/Dockerfile`) is not the context's.
      candidates = [workingDirectory(declaration.dockerfile, context, file, root)!];
    } else {
      // A path from the build file's folder or the repository root (`-f $(CURDIR)/x` after a
      // `cd`) is not the working directory's.
      candidates = [workingDirectory(declaration.dockerfile, cwd, file, root)!];
    }
    if (
      candidates.some(
        (c) => c === dockerfile || c === realDockerfile || realOf(c) === realDockerfile,
      )
    ) {
      matched.push(context !== null && isInside(context, root) ? context : null);
    }
  }
  if (matched.length === 0) return undefined;
  // A script that names its Dockerfile from its own folder (`-f "$(dirname "$0")/Dockerfile" .`)
  // builds it from either folder, and the context it gives from where it runs is not known:
  // cadvisor's deploy/build.sh runs `make build` first, so from the repository root.
  return { context: matched.every((c) => c === matched[0]) ? matched[0] : null, possible: false };
}

function realOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
