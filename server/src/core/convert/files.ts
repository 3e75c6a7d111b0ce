/**
 * The files the program reads at run time, which the runtime stage must receive from the build
 * stage at the same paths (the program finds them from the same working directory):
 *
 * - what the final stage copied on its own (`COPY config.yaml /etc/app/`), from the context,
 *   another stage or an image, except Go sources and build files;
 * - with the build context known: every path the program's sources name (string literals passed
 *   to os.Open, template.ParseGlob, http.Dir, godotenv.Load, ...), the start command's arguments
 *   and the ENV values that name an existing file (`-c cmd/config.yaml`), files put in place by
 *   `RUN cp`/`mv`/`mkdir`, and everything the working directory received from the context that is
 *   not a Go source, a build file or repository furniture (a program also reads paths named in
 *   its own config files, which no scan of the Go code sees);
 * - with the context unknown: the whole working directory but the sources (`COPY --exclude`).
 */
import type { Instruction } from 'dockerfile-ast';
import { urlFileName, type Stage } from '../model/model';
import { contextFilesIn } from '../facts/program-sources';
import type { ProgramNeeds } from '../facts/program-needs';
import { hasGlob, matchSegment } from '../text/glob';
import {
  basename,
  dirname,
  isAbsolute,
  isWithin,
  join,
  resolve,
  trimTrailingSlashes,
} from '../text/posix-path';
import type { OptionalFile, RuntimeFiles } from './parts';
import { oneBasedLine } from '../text/line-index';
import type { Plan } from './plan';
import { removedPaths, runWrittenPaths } from './run-files';
import type { Target } from './target';
import { keywordOf } from '../model/instruction-view';

// Go sources, build files and repository furniture: never read by the program at run time.
const SOURCE_FILES = [
  '*.go',
  'go.mod',
  'go.sum',
  'go.work',
  'go.work.sum',
  'vendor',
  'Dockerfile*',
  '*.Dockerfile',
  '*.dockerfile',
  'Containerfile*',
  '.dockerignore',
  'docker-compose*',
  'compose.y*ml',
  'compose.*.y*ml',
  'Makefile',
  'makefile',
  'GNUmakefile',
  '*.mk',
  'Taskfile*',
  'magefile*',
  'Justfile',
  'justfile',
  '*.md',
  'LICENSE*',
  'LICENCE*',
  'COPYING*',
  'NOTICE*',
  'AUTHORS*',
  'CONTRIBUTORS*',
  'CODEOWNERS',
  '.git',
  '.gitignore',
  '.gitattributes',
  '.gitmodules',
  '.github',
  '.gitlab',
  '.gitlab-ci.yml',
  '.circleci',
  '.travis.yml',
  '.golangci*',
  '.goreleaser*',
  '.editorconfig',
  '.vscode',
  '.idea',
  '.devcontainer',
  '.air.toml',
  '.pre-commit-config.yaml',
  '.codecov.yml',
  'codecov.yml',
  'renovate.json',
  '.dependabot',
  'testdata',
  'node_modules',
  'package.json',
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'tsconfig*.json',
  '*.code-workspace',
  '*.http',
  '*.rest',
  'Gopkg.toml',
  'Gopkg.lock',
  'glide.yaml',
  'glide.lock',
  '.drone.yml',
  'Jenkinsfile',
  'azure-pipelines.yml',
  '.claude',
  '.cursor',
];

// What `COPY --exclude` leaves out of the working directory when the context is unknown: Go
// sources at any depth, the module files, vendored code, version control and Dockerfiles.
const UNKNOWN_CONTEXT_EXCLUDES = ['**/*.go', 'go.mod', 'go.sum', 'vendor', '.git', 'Dockerfile*'];

/** A file or directory name that is a Go source, a build file or repository furniture. */
export function isSourceName(name: string): boolean {
  return SOURCE_FILES.some((pattern) => matchSegment(pattern, name));
}

// Paths the runtime image provides itself, or that belong to the toolchain and its caches.
const SYSTEM_PATHS = [
  '/proc',
  '/dev',
  '/sys',
  '/tmp',
  '/etc/ssl',
  '/etc/passwd',
  '/etc/group',
  '/etc/hosts',
  '/etc/resolv.conf',
  '/usr/share/zoneinfo',
  '/usr/local/go',
  '/go/pkg',
  '/root/.cache',
];

/** Runtime files a COPY/ADD put into the final stage, as absolute paths in the build stage. */
function explicitCopies(plan: Plan, instruction: Instruction): string[] {
  const copy = plan.stage.copies.find((c) => c.instruction === instruction);
  if (!copy || copy.heredoc || !copy.destination?.path) return [];
  const destination = copy.destination;
  const fromStage = copy.from?.target.kind === 'stage' ? copy.from.target.stage : undefined;
  const paths: string[] = [];
  for (const source of copy.sources) {
    if (source.text.includes('$')) continue;
    const name = source.remote === 'url' ? urlFileName(source) : basename(source.text);
    if (copy.from) {
      // What another stage produced (assets, generated files) or an image holds.
      if (fromStage?.facts.goToolchain) continue;
      if (copy.from.target.kind !== 'stage' && copy.from.target.kind !== 'image') continue;
    } else if (name === '' || name === '.' || hasGlob(name) || isSourceName(name)) {
      // The whole context, a glob or sources: the working directory's share is decided below.
      continue;
    }
    // A file lands inside a directory destination under its own name; a directory's contents
    // land in the destination itself. The context tells which it is; otherwise a name with a dot
    // (`.env`, `app.yaml`) is taken for a file. An ADD fetches a file from a URL, a directory
    // from git.
    const relative = trimTrailingSlashes(source.text.replace(/^(?:\.\/)+/, ''));
    const isFile = source.remote
      ? source.remote === 'url'
      : copy.from || !plan.model.context
        ? name.includes('.') && !source.text.endsWith('/')
        : plan.model.context.files.has(relative);
    // A directory of Go sources (`COPY ./src ./src`) is what the build compiles.
    const context = plan.model.context;
    if (!copy.from && !source.remote && !isFile && context) {
      const below = context.filesBelow(relative);
      if ([...below].some((f) => f.endsWith('.go'))) continue;
    }
    paths.push(destination.directory && isFile ? join(destination.path!, name) : destination.path!);
  }
  return paths;
}

/** Whether `path` exists in the final stage as something the Dockerfile put there. */
function present(stage: Stage, path: string): boolean {
  const found = stage.fs.lookup(
    path,
    (entry) => entry.origin === 'go' || entry.origin === 'workdir',
  );
  return found.presence === 'yes';
}

/** Whether the stage copied Go files from the context at or below an image directory. */
function holdsGoSources(dir: string, goDirs: readonly string[]): boolean {
  return goDirs.some((d) => isWithin(d, dir));
}

/** The image directories holding Go files copied from the context. */
function goSourceDirs(stage: Stage): string[] {
  const dirs: string[] = [];
  for (const entry of stage.fs.entries) {
    if (entry.origin !== 'copy' || entry.contextPath === undefined) continue;
    if (entry.kind === 'file' && entry.path.endsWith('.go')) dirs.push(resolve(entry.path, '..'));
    for (const file of entry.contents ?? []) {
      if (file.endsWith('.go')) dirs.push(resolve(join(entry.path, file), '..'));
    }
  }
  return [...new Set(dirs)];
}

/** The context path an image path below a COPY of a context directory would come from. */
function contextSource(stage: Stage, imagePath: string): string | undefined {
  for (let i = stage.fs.entries.length - 1; i >= 0; i--) {
    const entry = stage.fs.entries[i];
    if (entry.origin !== 'copy' || entry.contextPath === undefined || entry.kind !== 'tree')
      continue;
    if (!isWithin(imagePath, entry.path) || imagePath === entry.path) continue;
    const relative =
      entry.path === '/' ? imagePath.slice(1) : imagePath.slice(entry.path.length + 1);
    return entry.contextPath === '' ? relative : `${entry.contextPath}/${relative}`;
  }
  return undefined;
}

/** The outermost directory a COPY from the context filled that holds `dir`, if any. */
function contextRoot(stage: Stage, dir: string): string | undefined {
  let root: string | undefined;
  for (const entry of stage.fs.entries) {
    if (entry.origin !== 'copy' || entry.contextPath === undefined || entry.kind !== 'tree')
      continue;
    if (isWithin(dir, entry.path) && (root === undefined || isWithin(root, entry.path))) {
      root = entry.path;
    }
  }
  return root;
}

/**
 * What the context put into the working directory and the directories above it, up to the root
 * of the copy that holds it (a program started in `/app/cmd/api` also reads `../../config.yaml`),
 * without Go sources, frontend sources and repository furniture: one path per name found
 * directly in each of those directories, except the one on the way down to the working directory.
 */
function contextRest(stage: Stage, cwd: string): string[] {
  const top = contextRoot(stage, cwd) ?? cwd;
  const children = new Map<string, { goSources: boolean; frontend: boolean }>();
  for (const entry of stage.fs.entries) {
    if (entry.origin !== 'copy' || entry.contextPath === undefined) continue;
    const files =
      entry.kind === 'file'
        ? [entry.path]
        : [...(entry.contents ?? [])].map((f) => join(entry.path, f));
    for (const path of files) {
      if (!isWithin(path, top)) continue;
      // The directory the path hangs from: the deepest of top..cwd that holds it.
      let level = cwd;
      while (!isWithin(path, level)) level = dirname(level);
      if (path === level) continue;
      const rest = level === '/' ? path.slice(1) : path.slice(level.length + 1);
      const slash = rest.indexOf('/');
      const child = join(level, slash < 0 ? rest : rest.slice(0, slash));
      if (level !== cwd && isWithin(cwd, child)) continue;
      const facts = children.get(child) ?? { goSources: false, frontend: false };
      if (slash >= 0) {
        facts.goSources ||= path.endsWith('.go');
        facts.frontend ||= basename(path) === 'package.json';
      }
      children.set(child, facts);
    }
  }
  return [...children]
    .filter(([path, facts]) => !isSourceName(basename(path)) && !facts.goSources && !facts.frontend)
    .map(([path]) => path);
}

/** Strips a glob to the directory it searches (`templates/*.html` → `templates`). */
function globBase(path: string): string | undefined {
  const at = path.search(/[*?[]/);
  if (at < 0) return path;
  const slash = path.lastIndexOf('/', at);
  return slash < 0 ? undefined : path.slice(0, slash);
}

/** A start argument or ENV value that may name a path (`--config=/app/x.yaml` → `/app/x.yaml`). */
function pathOf(word: string): string | undefined {
  const value = word.includes('=') ? word.slice(word.indexOf('=') + 1) : word;
  const unquoted = value.replace(/^["']|["']$/g, '');
  if (unquoted === '' || unquoted.startsWith('-') || unquoted.includes('$')) return undefined;
  return unquoted.includes('://') ? undefined : unquoted;
}

/** The paths the start commands' arguments name (`-c cmd/config.yaml`). */
function startPaths(plan: Plan): string[] {
  const { stage } = plan;
  const words: string[] = [];
  for (const command of [stage.entrypoint, stage.cmd]) {
    if (!command) continue;
    if (command.exec) words.push(...command.exec.slice(1).map((w) => w.text));
    else if (command.shell) words.push(...command.shell.split(/\s+/).slice(1));
  }
  return words.map(pathOf).filter((p): p is string => p !== undefined);
}

/** The paths the ENV values of the program (not the Go build's) name (`CONFIG=./conf`). */
function envPaths(plan: Plan): string[] {
  const paths: string[] = [];
  for (const [name, value] of plan.stage.envAtEnd) {
    if (typeof value !== 'string' || /^(GO|CGO_)|PATH$/.test(name)) continue;
    const path = pathOf(value);
    if (path !== undefined) paths.push(path);
  }
  return paths;
}

/** Decides what the runtime stage copies besides the binary. */
export function runtimeFiles(
  plan: Plan,
  target: Target,
  needs: ProgramNeeds | undefined,
): RuntimeFiles {
  const { stage, model } = plan;
  const cwd = plan.programCwd ?? '/';
  const explicit = stage.instructions
    .filter((i) => ['COPY', 'ADD'].includes(keywordOf(i)))
    .flatMap((i) => explicitCopies(plan, i));
  const binaryPaths = new Set(
    [target.builtPath, target.startedPath].filter((p): p is string => !!p),
  );
  if (!model.context) return filesWithoutContext(stage, cwd, explicit);
  const search: FileSearch = {
    plan,
    cwd,
    root: contextRoot(stage, cwd),
    goDirs: goSourceDirs(stage),
    binaryPaths,
    // What the program creates itself is not needed from the build.
    createdPaths: new Set(
      (needs?.writes ?? []).flatMap((w) => (w.path === undefined ? [] : [resolve(cwd, w.path)])),
    ),
    found: explicit.map((path) => ({ path, why: 'the final stage copies it' })),
    optional: [],
  };
  // Only a file the sources read by its full name may be missing now and there at build time.
  for (const named of needs?.namedPaths ?? []) {
    consider(
      search,
      named.path,
      named.access,
      named.where,
      named.reads && named.whole,
      named.folder,
    );
  }
  for (const path of startPaths(plan)) consider(search, path, true, 'the start command');
  for (const path of envPaths(plan)) consider(search, path, false, 'ENV');
  const { found, optional, root } = search;
  const gone = removedPaths(stage);
  for (const written of runWrittenPaths(stage, cwd, gone, search.goDirs, binaryPaths)) {
    if (!isSourceName(basename(written.path))) found.push(written);
  }
  for (const path of contextRest(stage, cwd)) {
    if (!binaryPaths.has(path)) found.push({ path, why: 'from the build context' });
  }
  const readSources = needs?.sources.complete
    ? "read from the program's Go sources"
    : `not all of the program's Go sources could be read (${needs?.sources.incomplete ?? 'no program sources'})`;
  const kept = found.filter((f) => !binaryPaths.has(f.path) && !gone.has(f.path));
  const paths = dedupe(kept.map((f) => f.path));
  const place = root !== undefined && root !== cwd ? `${root} (the copy that holds ${cwd})` : cwd;
  return {
    paths,
    optional: optional.filter((o) => !paths.some((p) => isWithin(o.path, p))),
    how: `${carriedListing(paths, kept)} Looked for: the paths the program names (${readSources}), the paths its start arguments and ENV name, what RUN commands wrote, and what the build context put in ${place} apart from Go sources and build files.`,
  };
}

/** `Besides the program, the runtime receives /app/templates (…) and /app/conf (…).` */
function carriedListing(paths: string[], found: { path: string; why: string }[]): string {
  if (paths.length === 0) return 'Besides the program, the runtime receives no files.';
  const described = paths.map((path) => {
    const whys = [...new Set(found.filter((f) => f.path === path).map((f) => f.why))];
    return whys.length > 0 ? `${path} (${whys.join('; ')})` : path;
  });
  const shown =
    described.length > 8 ? [...described.slice(0, 7), `${described.length - 7} more`] : described;
  const list =
    shown.length === 1
      ? shown[0]
      : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  return `Besides the program, the runtime receives ${list}.`;
}

/** Without the build context: the files the final stage copied, or its whole working directory. */
function filesWithoutContext(stage: Stage, cwd: string, explicit: string[]): RuntimeFiles {
  const workdirFromContext = stage.copies.some(
    (c) =>
      c.from === undefined &&
      c.destination?.path !== undefined &&
      (isWithin(cwd, c.destination.path) || isWithin(c.destination.path, cwd)) &&
      cwd !== '/',
  );
  return {
    // What lies in the working directory comes with it.
    paths: dedupe(explicit.filter((p) => !(workdirFromContext && isWithin(p, cwd)))),
    workdirExcluding: workdirFromContext ? UNKNOWN_CONTEXT_EXCLUDES : undefined,
    optional: [],
    how: workdirFromContext
      ? `The build context is not known, so the runtime receives the whole working directory ${cwd} without Go sources and build files (COPY --exclude, Dockerfile syntax 1.19 or later).`
      : 'The build context is not known: only the files the final stage copied on their own are carried.',
  };
}

/** What the search for the program's files reads, and what it found so far. */
interface FileSearch {
  plan: Plan;
  cwd: string;
  /** The directory the context fills that holds the working directory, if known. */
  root: string | undefined;
  goDirs: ReturnType<typeof goSourceDirs>;
  binaryPaths: Set<string>;
  createdPaths: Set<string>;
  /** Each path to carry, with why (`named in main.go:9`, `made by the RUN on line 4`). */
  found: { path: string; why: string }[];
  optional: OptionalFile[];
}

/** A path the program or its start command names: carried, or optional, or not needed. */
function consider(
  search: FileSearch,
  written: string,
  access: boolean,
  where: string,
  mayBeMissing = false,
  folder = false,
): void {
  const { plan, cwd, root, found, optional } = search;
  const { stage, model } = plan;
  const trimmed = written.trim().replace(/^\.\/+/, '');
  const base = globBase(trimmed);
  if (base === undefined) {
    // A glob of names in the working directory (`*.html`): the files it matches.
    for (const [imagePath] of contextFilesIn(stage, cwd)) {
      if (matchSegment(trimmed, basename(imagePath)) && !isSourceName(basename(imagePath)))
        found.push({ path: imagePath, why: `named in ${where}` });
    }
    return;
  }
  const path = isAbsolute(base) ? resolve('/', base) : resolve(cwd, base);
  if (
    isWithin(cwd, path) ||
    SYSTEM_PATHS.some((p) => isWithin(path, p)) ||
    search.binaryPaths.has(path)
  )
    return;
  if (isSourceName(basename(path))) return;
  if (!present(stage, path)) {
    // A file the program opens, in the tree the context fills, that the context lacks now:
    // it may be there when the image is built (a gitignored .env, a generated swagger.json).
    const name = basename(path);
    const plainName = !/[*?[\]\\]/.test(name);
    const fileName = name.includes('.') && plainName;
    const created = search.createdPaths.has(path);
    // A folder a folder function serves or walks (`http.Dir("./frontend/dist")`) may be built
    // before the image is (a gitignored frontend build a CI step makes) as well.
    const candidate = mayBeMissing && (fileName || (folder && plainName)) && base === trimmed;
    // Not when .dockerignore keeps it out of every build.
    const source = root === undefined ? undefined : contextSource(stage, path);
    const ignored = source !== undefined && (model.context?.ignored?.(source) ?? false);
    const add = (file: OptionalFile) => {
      if (!optional.some((o) => o.path === path)) optional.push(file);
    };
    // A RUN the model cannot follow (`make assets`, a script) may make what the program reads.
    const opaque = stage.fs.opaque;
    const madeBy =
      opaque &&
      mayBeMissing &&
      plainName &&
      base === trimmed &&
      !created &&
      !ignored &&
      stage.fs.lookup(path).presence === 'maybe';
    const fromContext =
      candidate && !created && root !== undefined && isWithin(path, root) && !ignored;
    // A folder such a RUN may make is said to come from it; a file the sources name first as
    // missing from the context, when it is in the tree the context fills.
    if (madeBy && (folder || !fromContext)) {
      add({ path, where, directory: folder, madeByLine: oneBasedLine(opaque) });
    } else if (fromContext) {
      add({ path, where, directory: folder });
    }
    return;
  }
  if (!access && holdsGoSources(path, search.goDirs)) return;
  found.push({
    path,
    why:
      where === 'the start command' || where === 'ENV' ? `named by ${where}` : `named in ${where}`,
  });
}

/** Sorted, without paths inside another carried path. */
function dedupe(paths: string[]): string[] {
  const unique = [...new Set(paths)].sort();
  return unique.filter((p) => !unique.some((q) => q !== p && isWithin(p, q)));
}
