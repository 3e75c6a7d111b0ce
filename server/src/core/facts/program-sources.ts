/**
 * The Go sources of a program the Dockerfile builds, read from the build context: the files of
 * the built packages and of the packages of the same module (or GOPATH tree) they import, each
 * scanned once (go-source.ts). What the program opens, writes, embeds and links is read from
 * these facts by the conversion.
 *
 * Reading is bounded (files, bytes) and lazy: only the conversion asks, and the result is kept
 * per model. When a file cannot be read or a bound is hit, the facts say so (`complete: false`)
 * and the callers assume the least.
 */
import type { GoFileFacts } from '../model/go-source';
import { parseGoMod, type GoMod } from '../model/gomod';
import {
  contextPathOf,
  moduleFor,
  type ContextIndex,
  type DockerfileModel,
  type GoCall,
  type Stage,
} from '../model/model';
import { basename, dirname, isWithin, join, resolve } from '../text/posix-path';
import { KeyedCache } from '../keyed-cache';

/** What to read: the packages a go command builds, or every package of the copied sources. */
export type ProgramPackages =
  | { kind: 'dirs'; dirs: string[] }
  | { kind: 'files'; files: string[] }
  | { kind: 'tree'; dir: string }
  | { kind: 'all' };

export interface ProgramSourceFile {
  /** The path in the build context. */
  path: string;
  /** The path in the image. */
  imagePath: string;
  facts: GoFileFacts;
}

export interface ProgramSources {
  /** Every Go file of the program (and of the same-module packages it imports) was read. */
  complete: boolean;
  /** Why not, when not. */
  incomplete?: string;
  files: ProgramSourceFile[];
  /** The module's go.mod as copied from the context, parsed, when there is one. */
  goMod?: GoMod;
}

const MAX_FILES = 3000;
const MAX_BYTES = 16 * 1024 * 1024;

const cache = new KeyedCache<DockerfileModel, Map<string, ProgramSources>>();

/** Image directory → (image path → context path) of what the stage copied from the context. */
type ContextTree = Map<string, Map<string, string>>;

const trees = new KeyedCache<Stage, ContextTree>();

/** What the stage copied from the build context, by image directory; built once per stage. */
function contextTree(stage: Stage): ContextTree {
  const known = trees.get(stage);
  if (known) return known;
  const tree: ContextTree = new Map();
  const add = (imagePath: string, contextPath: string) => {
    const dir = dirname(imagePath);
    let files = tree.get(dir);
    if (!files) tree.set(dir, (files = new Map()));
    files.set(imagePath, contextPath);
  };
  for (const entry of stage.fs.entries) {
    if (entry.origin !== 'copy' || entry.contextPath === undefined) continue;
    if (entry.kind === 'file') add(entry.path, entry.contextPath);
    else if (entry.contents) {
      for (const file of entry.contents) {
        add(
          join(entry.path, file),
          entry.contextPath === '' ? file : `${entry.contextPath}/${file}`,
        );
      }
    }
  }
  trees.set(stage, tree);
  return tree;
}

/** The context files directly inside an image directory of the stage, by image path. */
export function contextFilesIn(stage: Stage, imageDir: string): ReadonlyMap<string, string> {
  return contextTree(stage).get(imageDir) ?? new Map();
}

/** Every image directory at or below `dir` that holds context files. */
function contextDirsBelow(stage: Stage, dir: string): string[] {
  return [...contextTree(stage).keys()].filter((d) => isWithin(d, dir));
}

/** Go files that a build of the directory compiles (no tests; other OSes are still read). */
function isBuildFile(path: string): boolean {
  return path.endsWith('.go') && !path.endsWith('_test.go');
}

/**
 * Reads and scans the program's sources. `moduleRoot` is where go.mod lands in the image, and
 * `modulePath` the module path it declares; imports below it (or below `$GOPATH/src`) are read too.
 */
export function programSources(
  model: DockerfileModel,
  stage: Stage,
  packages: ProgramPackages,
): ProgramSources {
  let perModel = cache.get(model);
  if (!perModel) {
    perModel = new Map();
    cache.set(model, perModel);
  }
  const key = `${stage.index}\0${JSON.stringify(packages)}`;
  const known = perModel.get(key);
  if (known) return known;
  const result = readProgram(model, stage, packages);
  perModel.set(key, result);
  return result;
}

/**
 * Scans the program's files, each once, until the file count or byte limit says to stop. A file
 * set aside for a reason of its own (built only on request, not Go that compiles) or past a
 * bound is told to `skipped`, the bound once; one the context cannot read is the reader's to tell.
 */
function fileScanner(
  context: ContextIndex,
  result: ProgramSources,
  fail: (reason: string) => void,
): (imagePath: string, contextPath: string) => GoFileFacts | undefined {
  let bytes = 0;
  let bounded = false;
  const scanned = new Set<string>();
  const stop = (contextPath: string, reason: string) => {
    fail(reason);
    if (!bounded) context.skipped?.(contextPath, `${reason}: it and the rest are not read`);
    bounded = true;
  };
  return (imagePath: string, contextPath: string): GoFileFacts | undefined => {
    if (scanned.has(imagePath)) return undefined;
    scanned.add(imagePath);
    if (result.files.length >= MAX_FILES) {
      stop(contextPath, `the program has more than ${MAX_FILES} Go files`);
      return undefined;
    }
    const text = context.read?.(contextPath);
    if (text === undefined) {
      fail(`${contextPath} could not be read`);
      return undefined;
    }
    bytes += text.length;
    if (bytes > MAX_BYTES) {
      stop(contextPath, `the program's Go sources pass ${MAX_BYTES / 1024 / 1024} MiB`);
      return undefined;
    }
    const facts = context.goFile(contextPath, text);
    if (facts.ignored) {
      context.skipped?.(contextPath, 'built only on request (//go:build ignore)');
      return undefined;
    }
    if (facts.malformed !== undefined) {
      // The go command rejects the file, and what the scanner read of it is partial.
      fail(`${contextPath} does not parse`);
      context.skipped?.(contextPath, `not Go that compiles: ${facts.malformed}`);
      return undefined;
    }
    result.files.push({ path: contextPath, imagePath, facts });
    return facts;
  };
}

/**
 * The module the program belongs to (its go.mod, as copied from the context, parsed into
 * `result`), and a resolver of imports to image directories: same-module or GOPATH imports.
 */
function importResolver(
  model: DockerfileModel,
  stage: Stage,
  packages: ProgramPackages,
  read: (path: string) => string | undefined,
  result: ProgramSources,
): (path: string) => string | undefined {
  // The module the program belongs to: its go.mod as copied from the context, if there is one.
  const start =
    packages.kind === 'dirs'
      ? packages.dirs[0]
      : packages.kind === 'files'
        ? dirname(packages.files[0] ?? '/')
        : packages.kind === 'tree'
          ? packages.dir
          : stage.workdirAtEnd;
  const module = moduleFor(model, stage, start);
  const modulePath = module.path ?? model.goMod?.module;
  const moduleRoot = module.root;
  const goModPath =
    moduleRoot === undefined ? undefined : contextPathOf(stage, join(moduleRoot, 'go.mod'));
  const goModText = goModPath === undefined ? undefined : read(goModPath);
  if (goModText !== undefined) result.goMod = parseGoMod(goModText);
  const gopath = stage.envAtEnd.get('GOPATH');
  const gopathSrc =
    typeof gopath === 'string' && gopath !== '' ? join(gopath.split(':')[0], 'src') : '/go/src';
  return (path: string): string | undefined => {
    if (modulePath !== undefined && moduleRoot !== undefined) {
      if (path === modulePath) return moduleRoot;
      if (path.startsWith(modulePath + '/'))
        return join(moduleRoot, path.slice(modulePath.length + 1));
    }
    const inGopath = join(gopathSrc, path);
    return contextFilesIn(stage, inGopath).size > 0 ? inGopath : undefined;
  };
}

function readProgram(
  model: DockerfileModel,
  stage: Stage,
  packages: ProgramPackages,
): ProgramSources {
  const context = model.context;
  if (!context) return { complete: false, incomplete: 'the build context is not known', files: [] };
  if (!context.read) {
    return { complete: false, incomplete: 'the build context cannot be read', files: [] };
  }
  const read = context.read;
  const result: ProgramSources = { complete: true, files: [] };
  const fail = (reason: string) => {
    if (result.complete) {
      result.complete = false;
      result.incomplete = reason;
    }
  };
  const scan = fileScanner(context, result, fail);
  /** The image directory of a same-module (or GOPATH) import, when it is one. */
  const importDir = importResolver(model, stage, packages, read, result);

  const queue: string[] = [];
  const queued = new Set<string>();
  const enqueue = (dir: string) => {
    if (!queued.has(dir)) {
      queued.add(dir);
      queue.push(dir);
    }
  };
  const follow = (facts: GoFileFacts | undefined) => {
    for (const path of facts?.imports ?? []) {
      const dir = importDir(path);
      if (dir !== undefined) enqueue(dir);
    }
  };

  if (packages.kind === 'files') {
    for (const file of packages.files) {
      const contextPath = contextFilesIn(stage, dirname(file)).get(file);
      if (contextPath === undefined) {
        fail(`${file} is not a file copied from the build context`);
        continue;
      }
      follow(scan(file, contextPath));
    }
  } else if (packages.kind === 'dirs') {
    packages.dirs.forEach(enqueue);
  } else {
    const root = packages.kind === 'tree' ? packages.dir : '/';
    for (const dir of contextDirsBelow(stage, root)) {
      if (!dir.split('/').some((part) => part === 'vendor' || part === 'testdata')) enqueue(dir);
    }
  }
  while (queue.length > 0) {
    const dir = queue.shift()!;
    const files = [...contextFilesIn(stage, dir)].filter(([path]) => isBuildFile(path));
    if (files.length === 0 && packages.kind === 'dirs' && packages.dirs.includes(dir)) {
      fail(`no Go file of ${dir} was copied from the build context`);
    }
    for (const [imagePath, contextPath] of files) follow(scan(imagePath, contextPath));
  }
  if (result.files.length === 0) fail('no Go source of the program was found in the build context');
  return result;
}

/** The image directory of a package argument of a go command run in `cwd`. */
export function packageDir(
  model: DockerfileModel,
  stage: Stage,
  argument: string,
  cwd: string,
): string | undefined {
  const text = argument.split('@')[0];
  if (text === '.' || text.startsWith('./') || text.startsWith('../') || text === '..') {
    return resolve(cwd, text);
  }
  if (text.startsWith('/')) return resolve('/', text);
  const module = moduleFor(model, stage, cwd);
  const modulePath = module.path ?? model.goMod?.module;
  const root = module.root;
  if (modulePath !== undefined && root !== undefined) {
    if (text === modulePath) return root;
    if (text.startsWith(modulePath + '/')) return join(root, text.slice(modulePath.length + 1));
  }
  const gopath = stage.envAtEnd.get('GOPATH');
  const base = typeof gopath === 'string' && gopath !== '' ? gopath.split(':')[0] : '/go';
  const inGopath = join(join(base, 'src'), text);
  return contextFilesIn(stage, inGopath).size > 0 ? inGopath : undefined;
}

/** Whether an image path is a Go source file name (for `go build main.go util.go`). */
export function isGoFileArgument(argument: string): boolean {
  return basename(argument).endsWith('.go');
}

/**
 * The packages a go command builds, as image directories or files: everything the copied sources
 * hold when its directory is not known, none for a package from elsewhere (a tool).
 */
export function callPackages(model: DockerfileModel, call: GoCall): ProgramPackages[] {
  const cwd = call.invocation.cwd;
  if (cwd === undefined) return [{ kind: 'all' }];
  const stage = model.stages[call.stageIndex];
  const args = call.invocation.packages.map((p) => p.text);
  if (args.length === 0) return [{ kind: 'dirs', dirs: [cwd] }];
  if (args.every((a) => a.endsWith('.go'))) {
    return [{ kind: 'files', files: args.map((a) => resolve(cwd, a)) }];
  }
  const result: ProgramPackages[] = [];
  for (const arg of args) {
    if (arg.endsWith('/...')) {
      const dir = packageDir(model, stage, arg.slice(0, -4) || '.', cwd);
      result.push(dir ? { kind: 'tree', dir } : { kind: 'all' });
      continue;
    }
    const dir = packageDir(model, stage, arg, cwd);
    // A package from elsewhere (a tool): its sources are not in the context.
    if (dir !== undefined) result.push({ kind: 'dirs', dirs: [dir] });
  }
  return result;
}

/** One request for several package sets (dirs together; otherwise everything). */
export function mergePackages(packages: ProgramPackages[]): ProgramPackages {
  if (packages.length === 1) return packages[0];
  if (packages.length > 0 && packages.every((p) => p.kind === 'dirs')) {
    return {
      kind: 'dirs',
      dirs: [...new Set(packages.flatMap((p) => (p.kind === 'dirs' ? p.dirs : [])))],
    };
  }
  return { kind: 'all' };
}

/**
 * The sources of the programs some go commands build, each read from the build context; undefined
 * when a command builds a package from elsewhere (a tool), or one not known here.
 */
export function programsBuilt(
  model: DockerfileModel,
  calls: readonly GoCall[],
): ProgramSources[] | undefined {
  if (!model.context) return undefined;
  const programs: ProgramSources[] = [];
  for (const call of calls) {
    const args = call.invocation.packages;
    if (args.some((a) => a.dynamic)) return undefined;
    const packages = callPackages(model, call);
    const files = args.length > 0 && args.every((a) => a.text.endsWith('.go'));
    // callPackages leaves out a package from elsewhere: its sources are not in the context.
    if (packages.length === 0 || (!files && args.length > packages.length)) return undefined;
    programs.push(programSources(model, model.stages[call.stageIndex], mergePackages(packages)));
  }
  return programs;
}
