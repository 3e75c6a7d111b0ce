/**
 * Where a Go build stage copies the whole source before its first module download, with no
 * go.mod/go.sum copied or bind-mounted first and no cache keeping the modules: every source change
 * then downloads every module again. One fact, read by go-mod-download-not-cached (which reports
 * it) and by the conversion (which adds the download layer); computed once per model.
 */
import { zeroBasedLine } from '../text/line-index';
import { cacheMounted, imageKnown, moduleCache, modulesCopiedIn, type GoCache } from './go-caches';
import {
  goCommandsAndTools,
  homeDirectory,
  subcommandOf,
  userAt,
  type GoCommand,
} from './go-commands';
import {
  contextBind,
  fromContext,
  isGoModPath,
  isGoModSource,
  isWholeContext,
  moduleMode,
  mountsOf,
  usesVendor,
} from './module-sources';
import type { CopyInfo, DockerfileModel, Stage } from '../model/model';
import { chainFact, stageTree } from './stage-tree';
import { dirname, isWithin } from '../text/posix-path';
import { KeyedCache } from '../keyed-cache';

// Subcommands that load the main module's requirements, and so download missing modules.
const FETCHING = new Set([
  'build',
  'install',
  'run',
  'test',
  'vet',
  'list',
  'get',
  'generate',
  'mod download',
  'mod tidy',
  'mod vendor',
  'mod verify',
  'mod graph',
  'mod why',
]);

/**
 * The command downloads the main module's requirements (not `go install pkg@version`), whenever
 * the RUN runs: a command that runs only on some condition (`[ -f bin/app ] || go build`) may
 * download nothing, and a download added before the COPY would run every time.
 */
function fetchesModule(command: GoCommand): boolean {
  if (command.conditional) return false;
  const sub = subcommandOf(command.invocation);
  if (!FETCHING.has(sub)) return false;
  if (sub === 'install' || sub === 'run') {
    return !command.invocation.packages.some((p) => p.text.includes('@'));
  }
  return true;
}

/** The stage or a parent copied or bind-mounted go.mod (or mounted the whole context). */
function primesModules(stage: Stage, beforeLine: number): boolean {
  for (const copy of stage.copies) {
    if (zeroBasedLine(copy.instruction) >= beforeLine) continue;
    if (fromContext(copy) && copy.sources.some(isGoModSource)) return true;
  }
  for (const run of stage.runs) {
    if (zeroBasedLine(run.instruction) >= beforeLine) continue;
    for (const mount of mountsOf(run)) {
      const bind = contextBind(mount);
      if (bind === 'whole') return true;
      if (bind === 'path' && isGoModPath(mount.source ?? '')) return true;
    }
  }
  return false;
}

const primedInChain = chainFact<boolean>(
  (stage, inherited) => inherited === true || primesModules(stage, Infinity),
);

/** Of two go commands, the one on the earlier line (the first one when on the same line). */
function earlier(a: GoCommand | undefined, b: GoCommand | undefined): GoCommand | undefined {
  if (!a || !b) return a ?? b;
  return zeroBasedLine(b.run.instruction) < zeroBasedLine(a.run.instruction) ? b : a;
}

const firstFetches = new KeyedCache<DockerfileModel, (GoCommand | undefined)[]>();

/**
 * The first command that loads the module in a stage or the stages built on it (a go command,
 * or a build tool that runs go), computed for every stage at once.
 */
function firstFetch(model: DockerfileModel, stage: Stage): GoCommand | undefined {
  let values = firstFetches.get(model);
  if (!values) {
    values = model.stages.map((s) =>
      goCommandsAndTools(model, s).reduce<GoCommand | undefined>(
        (first, c) => (fetchesModule(c) ? earlier(first, c) : first),
        undefined,
      ),
    );
    for (let i = model.stages.length - 1; i >= 0; i--) {
      const parent = model.stages[i].parent;
      if (parent) values[parent.index] = earlier(values[parent.index], values[i]);
    }
    firstFetches.set(model, values);
  }
  return values[stage.index];
}

/** The first COPY/ADD of the whole context into the stage, when nothing primed the modules. */
function unprimedWholeCopy(stage: Stage): CopyInfo | undefined {
  if (stage.parent && primedInChain(stage.parent)) return undefined;
  const copy = stage.copies.find(
    (c) => fromContext(c) && c.sources.length > 0 && c.sources.some(isWholeContext),
  );
  if (!copy || copy.destination?.path === undefined) return undefined;
  return primesModules(stage, zeroBasedLine(copy.instruction)) ? undefined : copy;
}

/** The context is known and has no go.mod where the command runs in the copied tree, or above. */
function noModuleInContext(model: DockerfileModel, destination: string, cwd: string): boolean {
  const context = model.context;
  if (!context) return false;
  for (let dir = cwd; isWithin(dir, destination); dir = dirname(dir)) {
    const relative = dir === destination ? '' : dir.slice(destination.length + 1);
    if (context.files.has(relative === '' ? 'go.mod' : `${relative}/go.mod`)) return false;
    if (dir === destination) break;
  }
  return true;
}

/** A whole-source COPY that every module download after it has to repeat. */
export interface UncachedDownload {
  stage: Stage;
  /** The COPY (or ADD) of the whole context. */
  copy: CopyInfo;
  /** The first command after it that loads the module (in this stage or one built on it). */
  command: GoCommand;
  /** The module cache the command uses, when known. */
  modcache: GoCache | undefined;
}

const downloads = new KeyedCache<DockerfileModel, UncachedDownload[]>();

/** The whole-source copies that come before an uncached module download, once per model. */
export function uncachedDownloads(model: DockerfileModel): UncachedDownload[] {
  let found = downloads.get(model);
  if (!found) {
    found = findUncachedDownloads(model);
    downloads.set(model, found);
  }
  return found;
}

function findUncachedDownloads(model: DockerfileModel): UncachedDownload[] {
  const found: UncachedDownload[] = [];
  for (const stage of model.stages) {
    const copy = unprimedWholeCopy(stage);
    if (!copy) continue;
    const copyLine = zeroBasedLine(copy.instruction);
    const root = copy.destination!.path!;
    // The first go command after the COPY that loads the module: in this stage, else in a
    // stage built on it.
    const own = goCommandsAndTools(model, stage).reduce<GoCommand | undefined>(
      (first, c) =>
        zeroBasedLine(c.run.instruction) > copyLine && fetchesModule(c) ? earlier(first, c) : first,
      undefined,
    );
    // Stages built on this one come after it, so after the COPY.
    const command = stageTree(model.stages)
      .children[stage.index].map((child) => firstFetch(model, child))
      .reduce(earlier, own);
    if (!command) continue;
    const cwd = command.invocation.cwd;
    if (cwd === undefined || !isWithin(cwd, root)) continue;
    // GOPATH mode and vendored modules download nothing (vendor/ in the copied tree counts),
    // nor does a module that requires no other module.
    if (moduleMode(command) !== true || usesVendor(model, command)) continue;
    if (model.goMod !== undefined && model.goMod.requires.length === 0) continue;
    if (noModuleInContext(model, root, cwd)) continue;
    // A cache mount of the module cache keeps the modules across builds anyway.
    const home = homeDirectory(
      command.invocation.env,
      userAt(command.stage, command.run.instruction),
    );
    const modcache = moduleCache(command.invocation.env, home, imageKnown(command.stage));
    const mounts = mountsOf(command.run);
    if (modcache ? cacheMounted(modcache, mounts) : mounts.some((m) => m.type === 'cache'))
      continue;
    // Modules copied in from another stage are in the layers already.
    if (
      modcache &&
      modulesCopiedIn(command.stage, zeroBasedLine(command.run.instruction), modcache)
    )
      continue;

    found.push({ stage, copy, command, modcache });
  }
  return found;
}
