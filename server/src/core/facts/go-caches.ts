/**
 * Where the go command keeps its caches, as a Dockerfile RUN sees them: the module cache
 * (`$GOMODCACHE`, else `$GOPATH/pkg/mod`, else `$HOME/go/pkg/mod`) and the build cache
 * (`$GOCACHE`, else `$XDG_CACHE_HOME/go-build`, else `$HOME/.cache/go-build`), and whether a
 * RUN's mounts keep them across builds; and whether a stage's container compiles Go when it
 * starts, which needs the caches' contents in the image rather than in a mount.
 */
import type { EnvValue } from '../model/go-invocation';
import type { Mount } from './module-sources';
import type { CopyFrom, DockerfileModel, RunInfo, Stage } from '../model/model';
import { programName } from '../model/shell';
import { classifyImage, parseImageReference, type ImageReference } from '../model/images';
import { chainFact, chainLinks, modelSubtreeTest, rootStage, stageTree } from './stage-tree';
import { startScriptCompiles } from './golang-bases';
import { stageChain, startProgram } from './start';
import { shippedStages } from './builds';
import { hasGoToolchain } from './go-toolchain';
import { toolBuilds } from './go-commands';
import { toolchainStart } from './dev-image';
import { perKey } from './memo';
import { basename, isAbsolute, isWithin, join, normalize } from '../text/posix-path';

export interface GoCache {
  kind: 'module cache' | 'build cache';
  /** Absolute path of the cache for this command. */
  path: string;
  /** The variable that moved it from its default, when one did. */
  movedBy?: string;
}

/**
 * The module cache of a command with this environment and HOME; undefined when unknown.
 * `imageKnown` is false for a base image go-multistage does not know: its own ENV (a GOPATH, an
 * XDG_CACHE_HOME) is then unknown, and only values the Dockerfile sets count.
 */
export function moduleCache(
  env: ReadonlyMap<string, EnvValue>,
  home: string | undefined,
  imageKnown = true,
): GoCache | undefined {
  const modcache = env.get('GOMODCACHE');
  if (modcache === null) return undefined;
  if (modcache) {
    return isAbsolute(modcache)
      ? { kind: 'module cache', path: normalize(modcache), movedBy: 'GOMODCACHE' }
      : undefined;
  }
  const gopath = env.get('GOPATH');
  if (gopath === null) return undefined;
  if (gopath) {
    const first = gopath.split(':')[0];
    return isAbsolute(first) ? { kind: 'module cache', path: join(first, 'pkg/mod') } : undefined;
  }
  if (home === undefined || !imageKnown) return undefined;
  return { kind: 'module cache', path: join(home, 'go/pkg/mod') };
}

/** The build cache of a command; undefined when unknown or turned off (`GOCACHE=off`). */
export function buildCache(
  env: ReadonlyMap<string, EnvValue>,
  home: string | undefined,
  imageKnown = true,
): GoCache | undefined {
  const gocache = env.get('GOCACHE');
  if (gocache === null || gocache === 'off') return undefined;
  if (gocache) {
    return isAbsolute(gocache)
      ? { kind: 'build cache', path: normalize(gocache), movedBy: 'GOCACHE' }
      : undefined;
  }
  const xdg = env.get('XDG_CACHE_HOME');
  if (xdg === null) return undefined;
  if (xdg) {
    return isAbsolute(xdg)
      ? { kind: 'build cache', path: join(xdg, 'go-build'), movedBy: 'XDG_CACHE_HOME' }
      : undefined;
  }
  if (home === undefined || !imageKnown) return undefined;
  return { kind: 'build cache', path: join(home, '.cache/go-build') };
}

/**
 * Whether a RUN's mounts keep a cache across builds: a cache mount (or a bind mount from another
 * stage) at its path or above it; for the module cache, one at `<modcache>/cache` (the download
 * cache) also spares the network. A mount whose target is unknown is given the benefit of the
 * doubt.
 */
export function cacheMounted(cache: GoCache, mounts: readonly Mount[]): boolean {
  return mounts.some((m) => {
    if (m.type !== 'cache' && !(m.type === 'bind' && m.from !== undefined)) return false;
    if (m.target === undefined) return true;
    if (isWithin(cache.path, m.target)) return true;
    return cache.kind === 'module cache' && isWithin(m.target, join(cache.path, 'cache'));
  });
}

/** Whether go-multistage knows the base image at the root of the stage (and so its ENV). */
export function imageKnown(stage: Stage): boolean {
  return rootStage(stage).facts.family !== 'unknown';
}

/** The `COPY --from` instructions of a stage's chain, by stage, nearest first. */
const copyFromLinks = chainLinks((stage) => stage.copies.filter((c) => c.from !== undefined));

/**
 * Whether what a COPY copies from may hold a Go module cache: a stage on a Go toolchain image, on
 * an image not known here (a project's own build image), or that runs go; an image that is one of
 * those. Not a known image without Go (`tonistiigi/xx`, alpine).
 */
function mayHoldModules(from: CopyFrom | undefined): boolean {
  if (from?.kind === 'image') return imageMayHoldModules(parseImageReference(from.reference));
  return from?.kind !== 'stage' || stageMayHoldModules(from.stage);
}

/** The stage or one it is built on runs go, or the chain starts on an image that may hold modules. */
const stageMayHoldModules = chainFact<boolean>(
  (stage, inherited) =>
    inherited === true ||
    stage.goCommands.length > 0 ||
    (!stage.parent && (stage.base === undefined || imageMayHoldModules(stage.base))),
);

/**
 * Images that carry tools only, with no Go module cache: tonistiigi/xx (the cross-compilation
 * helpers copied in whole, `COPY --from=xx / /`).
 */
const TOOL_IMAGES = new Set(['tonistiigi/xx']);

function imageMayHoldModules(ref: ImageReference): boolean {
  if (ref.registry === undefined && TOOL_IMAGES.has(ref.repository)) return false;
  const facts = classifyImage(ref);
  return facts.goToolchain || facts.family === 'unknown';
}

/**
 * Whether a `COPY --from=<stage or image>` before `line`, in the stage or a parent, filled the
 * module cache (copied it, or a directory above it): the modules are then in the layers.
 */
export function modulesCopiedIn(stage: Stage, line: number, modcache: GoCache): boolean {
  for (let link = copyFromLinks(stage); link; link = link.next) {
    for (const copy of link.items) {
      if (copy.instruction.getRange().start.line >= line) continue;
      const destination = copy.destination?.path;
      if (destination === undefined) continue;
      // The module cache itself, or a folder inside it, copied in.
      if (isWithin(destination, modcache.path)) return true;
      // A tree above it (`COPY --from=xx / /`) brings modules only from where some can be.
      if (isWithin(modcache.path, destination) && mayHoldModules(copy.from?.target)) return true;
    }
  }
  return false;
}

// `go clean`'s flags that empty each cache.
const CLEANING_FLAG: Record<GoCache['kind'], string> = {
  'module cache': 'modcache',
  'build cache': 'cache',
};

/**
 * The command of a RUN that removes a cache's folder, as written (`go clean -modcache`, `rm -rf
 * /go/pkg/mod`, or of a folder above it): on a cache mount it fails ("device or resource busy"),
 * so a fix that mounts the cache must not leave it. Undefined when none does.
 */
export function cacheRemovedBy(run: RunInfo, cache: GoCache): string | undefined {
  for (const [i, command] of run.commands.entries()) {
    const words = command.words.map((w) => w.text);
    const name = programName(command.words[0]);
    const flags = words.slice(1).filter((w) => w.startsWith('-'));
    let removes = false;
    if (name === 'go' && words[1] === 'clean') {
      removes = flags.some(
        (f) => f.replace(/^--?/, '').split('=')[0] === CLEANING_FLAG[cache.kind],
      );
    } else if (name === 'rm' && flags.some((f) => /^-[a-zA-Z]*[rR]|^--recursive$/.test(f))) {
      const cwd = run.commandCwds[i];
      removes = words.slice(1).some((w) => {
        if (w.startsWith('-') || w.includes('$')) return false;
        const path = isAbsolute(w) ? normalize(w) : cwd === undefined ? undefined : join(cwd, w);
        return path !== undefined && isWithin(cache.path, path);
      });
    }
    if (removes) return words.join(' ');
  }
  return undefined;
}

/**
 * The stage's container compiles Go when it starts: its start command runs the go command, a
 * build tool (`make watch`), a test runner or a live-reload tool, directly or in its shell
 * script (the programs that make it a development image). `dlv debug` and `dlv test` compile;
 * `dlv exec` runs a binary built before.
 */
function buildsAtStart(stage: Stage): boolean {
  const start = startProgram(stage);
  if (!start) return false;
  if (basename(start.argv[0]?.text ?? '') === 'dlv') {
    return ['debug', 'test'].includes(start.argv[1]?.text ?? '');
  }
  return toolchainStart(stage, start) !== undefined;
}

/**
 * The stage, or one built on it, compiles Go when its container starts: its start program does,
 * or its start script, read from the build context, runs a go build, make or a build script.
 */
export const compilesAtStart = modelSubtreeTest(
  (model, stage) => buildsAtStart(stage) || startScriptCompiles(model, stage),
);

/**
 * Whether a later stage takes a cache folder of `stage` out of its layers (`COPY --from=modules
 * /go/pkg /go/pkg`, from the stage or one built on it): the stage fills that cache for it, and a
 * cache mount there would leave the copy empty.
 */
export function cacheCopiedOut(model: DockerfileModel, stage: Stage, path: string): boolean {
  const out = copiedOut(model);
  if (out.size === 0) return false;
  return [stage, ...stageTree(model.stages).descendants(stage)].some(
    (s) => out.get(s)?.some((copied) => isWithin(path, copied) || isWithin(copied, path)) ?? false,
  );
}

/**
 * The paths later stages copy out of each stage (`COPY --from=<stage> <path>`), absolute and
 * normalized; a path with a variable is left out. One pass over the copies per model: asked per
 * go command and cache, a walk over every stage's copies made files of thousands of stages
 * quadratic.
 */
const copiedOut = perKey((model: DockerfileModel) => {
  const out = new Map<Stage, string[]>();
  for (const s of model.stages) {
    for (const copy of s.copies) {
      const from = copy.from?.target;
      if (from?.kind !== 'stage') continue;
      for (const source of copy.sources) {
        if (source.text.includes('$')) continue;
        const copied = normalize(isAbsolute(source.text) ? source.text : `/${source.text}`);
        const paths = out.get(from.stage);
        if (paths) paths.push(copied);
        else out.set(from.stage, [copied]);
      }
    }
  }
  return out;
});

/**
 * The stage, or one built on it, is a toolbox image: it ships as an image, on a Go toolchain,
 * starts nothing of its own and compiles nothing of its own (its go commands download modules or
 * install tools from elsewhere). What it downloads is what the image is for: a test runner's
 * modules, used when a pod or `docker run` gives it `go test …`.
 */
export const fillsToolbox = modelSubtreeTest((model, stage) => {
  if (startProgram(stage) || !hasGoToolchain(stage)) return false;
  if (!shippedStages(model).some((s) => s.stage === stage)) return false;
  return stageChain(stage).every(
    (s) =>
      s.fs.opaque === undefined &&
      toolBuilds(model, s).length === 0 &&
      s.goCalls.every(
        (call) =>
          call.invocation.subcommand === 'install' &&
          call.invocation.packages.length > 0 &&
          call.invocation.packages.every((p) => p.text.includes('@')),
      ),
  );
});
