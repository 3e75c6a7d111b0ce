// Catches `RUN go build`, `go install`, `go run`, `go mod download` (and `make` or a build script
// that runs them) without BuildKit cache mounts for the module cache and the build cache: each
// time the layer reruns, Go downloads and compiles all.
import {
  buildCache,
  cacheCopiedOut,
  cacheMounted,
  compilesAtStart,
  fillsToolbox,
  cacheRemovedBy,
  imageKnown,
  moduleCache,
  modulesCopiedIn,
  type GoCache,
} from '../facts/go-caches';
import {
  commandLabel,
  descendantStages,
  goCommandRange,
  goCommandsAndTools,
  homeDirectory,
  subcommandOf,
  userAt,
  type GoCommand,
} from '../facts/go-commands';
import {
  downloadsModules,
  mayBeInModule,
  mountsOf,
  runsInClonedTree,
  usesVendor,
} from '../facts/module-sources';
import { moduleFor, type DockerfileModel, type RunInfo, type Stage } from '../model/model';
import { flagValue, type GoInvocation } from '../model/go-invocation';
import { modelChainFact } from '../facts/stage-tree';
import { hasSyntaxDirective } from '../facts/syntax';
import { insertFlags } from '../edits/instruction-edits';
import { syntaxDirectiveEdit } from '../edits/syntax-directive';
import { oneBasedLine, zeroBasedLine } from '../text/line-index';
import type { Fix, TextEdit } from '../types';
import type { Report, Rule } from './rule';
import { isWindowsStage } from '../facts/windows';
import { classicBuildsOnly } from '../facts/builds';

const SAFE_PATH = /^\/[A-Za-z0-9_\-./@+]*$/;

/** The module cache a go command's downloads go to, as its environment and user place it. */
function moduleCacheOf(command: GoCommand): GoCache | undefined {
  const env = command.invocation.env;
  const home = homeDirectory(env, userAt(command.stage, command.run.instruction));
  return moduleCache(env, home, imageKnown(command.stage));
}

/** The build cache a go command's compiles go to, as its environment and user place it. */
function buildCacheAt(command: GoCommand): GoCache | undefined {
  const env = command.invocation.env;
  const home = homeDirectory(env, userAt(command.stage, command.run.instruction));
  return buildCache(env, home, imageKnown(command.stage));
}

/**
 * A build tool whose every go build passes `-a` (a Makefile's `go build -a`): it rebuilds every
 * package whatever the build cache holds, so a mount of that cache cannot help while the tool
 * passes it (in the RUN itself, obsolete-go-build-flags reports the `-a`).
 */
function toolRebuildsAll(command: GoCommand): boolean {
  const go = command.toolGo;
  if (go === undefined || go.unread) return false;
  const builds = go.commands.filter((c) => c.subcommand !== 'mod');
  return builds.length > 0 && builds.every((c) => flagValue(c, 'a') === true);
}

/**
 * The caches a go command fills: downloads go to the module cache, compiles to the build cache
 * (`go run` compiles the program it runs, often a build driver such as `go run build/ci.go`).
 */
function cachesOf(
  model: DockerfileModel,
  command: GoCommand,
  modulesInLayer: { downloaded: boolean; copied: boolean },
): GoCache[] {
  const sub = subcommandOf(command.invocation);
  // `go mod tidy` downloads as `go mod download` does, and compiles nothing.
  const download = sub === 'mod download' || sub === 'mod tidy';
  if (sub !== 'build' && sub !== 'install' && sub !== 'run' && !download) return [];
  // A build tool whose go runs as another user (`sudo -u dev go install` in the script) fills
  // that user's caches, which a root-owned cache mount would keep it from writing.
  if (command.toolGo?.asOtherUser) return [];
  const caches: GoCache[] = [];
  // A local build after `go mod download` finds the modules in the layer: only the download
  // itself needs the module cache mount. Vendored builds download nothing.
  const packages = command.invocation.packages.map((p) => p.text);
  const local = !packages.some((p) => p.includes('@'));
  // Neither does the standard library (`go build std`), nor a module that requires nothing (the
  // context's go.mod says nothing of a tree the image cloned).
  const stdOnly = packages.length > 0 && packages.every((p) => p === 'std' || p === 'cmd');
  const noRequirements =
    local &&
    model.goMod !== undefined &&
    model.goMod.requires.length === 0 &&
    !runsInClonedTree(command);
  const skipModules =
    usesVendor(model, command) ||
    stdOnly ||
    noRequirements ||
    // Outside any module (no go.mod beside or above the Dockerfile, the build context is listed,
    // and no go.mod is copied from it, written or mounted) a local build downloads nothing: it
    // builds in GOPATH mode, or fails.
    (local &&
      model.goMod === undefined &&
      model.context !== undefined &&
      !mayBeInModule(command)) ||
    (local && !download && (modulesInLayer.downloaded || modulesInLayer.copied)) ||
    // A download after another one left the modules in the layer fetches only what changed.
    (download && modulesInLayer.downloaded);
  if (!skipModules) {
    const modcache = moduleCacheOf(command);
    if (modcache) caches.push(modcache);
  }
  if (!download && !toolRebuildsAll(command)) {
    const gocache = buildCacheAt(command);
    if (gocache) caches.push(gocache);
  }
  return caches;
}

/**
 * Whether the modules are in the image's layers before this RUN: a command that downloads them
 * (`go mod download`, `go test ./...`, a make target that runs `go mod download`) ran without a
 * module cache mount in the stage or a parent (`downloaded`), or a COPY brought the module cache
 * in (`copied`).
 */
function modulesInLayerBefore(
  model: DockerfileModel,
  command: GoCommand,
): { downloaded: boolean; copied: boolean } {
  const line = zeroBasedLine(command.run.instruction);
  const own = moduleCacheOf(command);
  return {
    downloaded: firstUncachedDownload(model, command.stage) < line,
    copied: own !== undefined && modulesCopiedIn(command.stage, line, own),
  };
}

/** What a command would fill with no modules in the layer (after a download moved to a mount). */
const NOT_IN_LAYER = { downloaded: false, copied: false };

/**
 * The line of the first command in the stage or its parents that leaves the modules in a layer
 * (one that downloads them, without a module cache mount, and not one that runs only on some
 * condition), or Infinity: computed once per stage from its parent's, as a RUN may hold
 * thousands of go commands and a chain thousands of stages.
 */
const firstUncachedDownload = modelChainFact<number>((model, s, inherited) => {
  let line = inherited ?? Infinity;
  for (const c of goCommandsAndTools(model, s)) {
    if (c.conditional || zeroBasedLine(c.run.instruction) >= line) continue;
    if (!downloadsModules(model, c)) continue;
    const modcache = moduleCacheOf(c);
    if (modcache !== undefined && !cacheMounted(modcache, mountsOf(c.run))) {
      line = zeroBasedLine(c.run.instruction);
    }
  }
  return line;
});

// Go commands that read the modules without downloading them into a cache of their own
// (`go mod verify` finds an empty cache "verified"), besides the builds.
const READS_MODULES = new Set(['mod verify', 'mod graph', 'mod why', 'vet', 'test', 'list']);

/** `go clean`'s flags that clean a cache; given alone, it loads no packages. */
const CACHE_CLEANING = new Set(['cache', 'modcache', 'testcache', 'fuzzcache']);

/**
 * The go command loads packages, so reads the modules, without compiling: `go vet`, `go list`, …,
 * and `go clean` of packages (`go clean -i ./...`), not one that only cleans a cache.
 */
function readsModules(invocation: GoInvocation): boolean {
  const sub = subcommandOf(invocation);
  if (READS_MODULES.has(sub)) return true;
  return (
    sub === 'clean' &&
    (invocation.packages.length > 0 || !invocation.flags.some((f) => CACHE_CLEANING.has(f.name)))
  );
}

/**
 * The later RUNs whose go commands find the modules only in the layer this RUN's download
 * leaves (in its stage or stages built on it): once the download writes to a cache mount
 * instead, they need the same mount, so the fix adds it to them too.
 */
function runsRelyingOnDownload(
  model: DockerfileModel,
  stage: Stage,
  run: RunInfo,
  modcache: GoCache,
): RunInfo[] {
  const line = zeroBasedLine(run.instruction);
  const runs = new Set<RunInfo>();
  for (const s of descendantStages(model.stages, stage)) {
    for (const c of goCommandsAndTools(model, s)) {
      if (
        zeroBasedLine(c.run.instruction) <= line ||
        firstUncachedDownload(model, c.stage) !== line
      )
        continue;
      if (modulesCopiedIn(c.stage, zeroBasedLine(c.run.instruction), modcache)) continue;
      const needed = readsModules(c.invocation)
        ? moduleCacheOf(c)
        : cachesOf(model, c, NOT_IN_LAYER).find((x) => x.kind === 'module cache');
      if (needed?.path === modcache.path && !cacheMounted(needed, mountsOf(c.run))) {
        runs.add(c.run);
      }
    }
  }
  return [...runs];
}

/** The build cache a go command fills, when it compiles and its path is known. */
function buildCacheOf(command: GoCommand): GoCache | undefined {
  const sub = subcommandOf(command.invocation);
  if (sub !== 'build' && sub !== 'install' && sub !== 'run') return undefined;
  if (command.toolGo?.asOtherUser) return undefined;
  return buildCacheAt(command);
}

/**
 * The line of the first command in the stage or its parents that compiles without a build cache
 * mount (so leaves the compiled packages in its layer; not one that runs only on some
 * condition), or Infinity; once per stage from its parent's, as firstUncachedDownload.
 */
const firstUncachedCompile = modelChainFact<number>((model, s, inherited) => {
  let line = inherited ?? Infinity;
  for (const c of goCommandsAndTools(model, s)) {
    if (c.conditional || zeroBasedLine(c.run.instruction) >= line) continue;
    const gocache = buildCacheOf(c);
    if (gocache && !cacheMounted(gocache, mountsOf(c.run))) line = zeroBasedLine(c.run.instruction);
  }
  return line;
});

/**
 * The later RUNs that compile with what this RUN's compile leaves in the layer (a warm-up
 * `go build std` before `COPY . .`): once this RUN writes to a cache mount instead, the layer
 * holds nothing for them, so they need the same mount (their own findings give it).
 */
function runsRelyingOnCompile(
  model: DockerfileModel,
  stage: Stage,
  run: RunInfo,
  gocache: GoCache,
  warmups: GoCommand[],
): RunInfo[] {
  const line = zeroBasedLine(run.instruction);
  const runs = new Set<RunInfo>();
  // What the RUN compiles is what a later build reuses: the standard library (`go build std`),
  // or the same module; not a tool from elsewhere (`go install tool@v1`) or another module.
  const moduleOf = (c: GoCommand) => moduleFor(model, c.stage, c.invocation.cwd).root;
  const local = (c: GoCommand) => c.invocation.packages.every((p) => !p.text.includes('@'));
  const std = warmups.some((w) =>
    w.invocation.packages.some((p) => p.text === 'std' || p.text === 'cmd'),
  );
  const modules = new Set(warmups.filter(local).map(moduleOf));
  modules.delete(undefined);
  for (const s of descendantStages(model.stages, stage)) {
    // A container that compiles at start needs the compiled packages in the image.
    if (compilesAtStart(model, s)) continue;
    for (const c of goCommandsAndTools(model, s)) {
      const at = zeroBasedLine(c.run.instruction);
      if (at <= line || firstUncachedCompile(model, c.stage) !== line) continue;
      if (!std && !(local(c) && modules.has(moduleOf(c)))) continue;
      const needed = buildCacheOf(c);
      if (needed?.path === gocache.path && !cacheMounted(needed, mountsOf(c.run))) runs.add(c.run);
    }
  }
  return [...runs];
}

interface RunNeeds {
  /** The RUN's first go command that lacks a mount, where the finding goes. */
  first: GoCommand;
  /** The caches its go commands fill without a mount, without duplicates. */
  missing: GoCache[];
  /** The RUN's go commands that fill a cache (mounted or not). */
  commands: GoCommand[];
  /** Some cache its go commands fill is mounted already. */
  partly: boolean;
}

/** The RUNs whose go commands fill a cache without a mount for it, in order. */
function missingByRun(model: DockerfileModel, commands: GoCommand[]): Map<RunInfo, RunNeeds> {
  const byRun = new Map<RunInfo, RunNeeds>();
  const filling = new Map<RunInfo, GoCommand[]>();
  // RUNs with a go command whose caches are all mounted, before any that lacks one.
  const mountedIn = new Set<RunInfo>();
  for (const command of commands) {
    // A cache a later stage copies out of this one is filled for it, in the layer.
    const caches = cachesOf(model, command, modulesInLayerBefore(model, command)).filter(
      (c) => !cacheCopiedOut(model, command.stage, c.path),
    );
    if (caches.length === 0) continue;
    let list = filling.get(command.run);
    if (!list) filling.set(command.run, (list = []));
    list.push(command);
    const mounts = mountsOf(command.run);
    const missing = caches.filter((c) => !cacheMounted(c, mounts));
    const partly = missing.length < caches.length;
    const entry = byRun.get(command.run);
    if (entry && partly) entry.partly = true;
    if (missing.length === 0) {
      if (!entry) mountedIn.add(command.run);
      continue;
    }
    if (!entry) {
      byRun.set(command.run, {
        first: command,
        missing,
        commands: list,
        partly: partly || mountedIn.has(command.run),
      });
      continue;
    }
    for (const cache of missing) {
      if (!entry.missing.some((c) => c.path === cache.path)) entry.missing.push(cache);
    }
  }
  return byRun;
}

/**
 * The fix adding the missing mounts to the RUN (and the module cache mount to the later RUNs
 * that rely on its download), with the syntax directive that cache mounts need.
 */
function cacheMountFix(
  model: DockerfileModel,
  run: RunInfo,
  missing: GoCache[],
  relying: RunInfo[],
): Fix[] {
  if (!missing.every((c) => SAFE_PATH.test(c.path))) return [];
  const mount = (c: GoCache) => `--mount=type=cache,target=${c.path}`;
  const edits: TextEdit[] = [insertFlags(run.instruction, missing.map(mount))];
  const modcache = missing.find((c) => c.kind === 'module cache');
  for (const later of relying) edits.push(insertFlags(later.instruction, [mount(modcache!)]));
  if (!hasSyntaxDirective(model)) edits.unshift(syntaxDirectiveEdit(model));
  return [
    {
      title: `Add cache mount${missing.length > 1 ? 's' : ''} for ${missing.map((c) => c.path).join(' and ')}`,
      kind: 'quickfix',
      isPreferred: true,
      // The caches leave the layer: a later RUN or stage reading them would find them empty.
      safe: false,
      edits,
    },
  ];
}

function describe(caches: GoCache[]): string {
  return caches
    .map((c) => `the ${c.kind} (${c.path}${c.movedBy ? `, from ${c.movedBy}` : ''})`)
    .join(' and ');
}

/**
 * The later RUNs that rely on what this RUN leaves in the layer: those reading the modules it
 * downloads (the fix gives them the module cache mount), and the lines of those compiling with
 * the packages it compiles (reported themselves for the build cache: named in the message only).
 */
function laterRuns(
  model: DockerfileModel,
  stage: Stage,
  run: RunInfo,
  missing: GoCache[],
  commands: GoCommand[],
): { reading: RunInfo[]; compiling: number[] } {
  const line = zeroBasedLine(run.instruction);
  const modcache = missing.find((c) => c.kind === 'module cache');
  const gocache = missing.find((c) => c.kind === 'build cache');
  const reading =
    modcache && firstUncachedDownload(model, stage) === line
      ? runsRelyingOnDownload(model, stage, run, modcache)
      : [];
  const compiling =
    gocache && firstUncachedCompile(model, stage) === line
      ? runsRelyingOnCompile(model, stage, run, gocache, commands)
      : [];
  return { reading, compiling: compiling.map((r) => oneBasedLine(r.instruction.getRange())) };
}

/** "the RUN on line 6", "the RUNs on lines 6, 8". */
function runsOn(lines: number[]): string {
  return lines.length > 1 ? `the RUNs on lines ${lines.join(', ')}` : `the RUN on line ${lines[0]}`;
}

function fixDetail(
  subcommands: string[],
  missing: GoCache[],
  reading: number[],
  compiling: number[],
): string {
  const flags = missing.map((c) => `--mount=type=cache,target=${c.path}`);
  const downloadOnly = subcommands.every((s) => s === 'go mod download');
  const warmed =
    compiling.length > 0
      ? ` Give the build cache mount to ${runsOn(compiling)} too: ` +
        `${compiling.length > 1 ? 'they compile' : 'it compiles'} with the packages this RUN ` +
        'leaves in the layer, which a cache mount keeps out.'
      : '';
  return (
    `${subcommands.map((s) => `\`${s}\``).join(', ')} runs without a BuildKit cache mount for ` +
    `${describe(missing)}: whenever this layer is rebuilt, Go starts from an empty cache. ` +
    `Add \`${flags.join(' ')}\` to this RUN` +
    (reading.length > 0
      ? `, and the module cache mount to ${runsOn(reading)} that read${reading.length > 1 ? '' : 's'} ` +
        'the modules it downloads (modules kept in a cache mount are not in the layer).'
      : downloadOnly
        ? ', and the same mount to the RUNs that build after it (modules kept in a cache mount are not in the layer).'
        : '.') +
    warmed
  );
}

type MessageId = 'noCacheMount' | 'noCacheMounts' | 'noOneCacheMount' | 'noOneCacheMounts';

export const goBuildWithoutCacheMount: Rule<MessageId> = {
  meta: {
    id: 'go-build-without-cache-mount',
    description:
      '`RUN go build`/`go install`/`go mod download` without BuildKit cache mounts for the module and build caches.',
    defaultSeverity: 'hint',
    fixable: true,
    messages: {
      noCacheMount: '`{{command}}` has no cache mount: each rebuild {{effects}} again.',
      noCacheMounts: 'These go commands have no cache mount: each rebuild {{effects}} again.',
      noOneCacheMount: '`{{command}}` has no {{cache}} mount: each rebuild {{effects}} again.',
      noOneCacheMounts:
        'These go commands have no {{cache}} mount: each rebuild {{effects}} again.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    // The project builds it with the classic builder (DOCKER_BUILDKIT=0): no cache mounts there.
    if (classicBuildsOnly(model)) return;
    for (const stage of model.stages) {
      // The classic Windows builder has no `RUN --mount`, and Windows paths are not these.
      if (isWindowsStage(model, stage)) continue;
      // A container that builds at start (`go run`, a live-reload tool, `dlv debug`) needs the
      // modules and the compiled packages in the image: cache mounts would leave them out. Only
      // installs of tools from elsewhere (`go install pkg@version`) are asked about there.
      // So does a toolbox image that downloads for the commands run in it later.
      const goAtStart = compilesAtStart(model, stage) || fillsToolbox(model, stage);
      const commands = goCommandsAndTools(model, stage).filter(
        (c) =>
          !goAtStart ||
          (c.tool === undefined &&
            c.invocation.packages.length > 0 &&
            c.invocation.packages.every((p) => p.text.includes('@'))),
      );
      for (const [run, { first, missing, commands: inRun, partly }] of missingByRun(
        model,
        commands,
      )) {
        // Module cache first, as in Docker's documentation.
        missing.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'module cache' ? -1 : 1));
        const subcommands = [...new Set(inRun.map((c) => commandLabel(c)))];
        // The RUN mounts one cache already: the message names the one it lacks.
        const one = partly && missing.length === 1;
        const messageId = one
          ? subcommands.length > 1
            ? 'noOneCacheMounts'
            : 'noOneCacheMount'
          : subcommands.length > 1
            ? 'noCacheMounts'
            : 'noCacheMount';
        const data: Record<string, string> = {
          command: subcommands[0],
          effects: missing
            .map((c) =>
              c.kind === 'module cache' ? 'downloads every module' : 'recompiles every package',
            )
            .join(' and '),
        };
        if (one) data.cache = missing[0].kind;
        const { reading, compiling } = laterRuns(model, stage, run, missing, inRun);
        const lines = reading.map((r) => oneBasedLine(r.instruction.getRange()));
        // The RUN empties a cache itself: a mount there would make that command fail.
        const removal = missing.map((c) => cacheRemovedBy(run, c)).find((c) => c !== undefined);
        const detail =
          fixDetail(subcommands, missing, lines, compiling) +
          (removal ? ` Drop \`${removal}\` then: it cannot remove a mounted cache.` : '');
        const fixes = removal ? [] : cacheMountFix(model, run, missing, reading);
        report({ range: goCommandRange(model, first), messageId, data, detail, fixes });
      }
    }
  },
};
