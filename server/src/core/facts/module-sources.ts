/**
 * Where a stage's Go module comes from: COPYs of the whole build context or of `go.mod`,
 * `RUN --mount` bind and cache mounts, and whether a go command can find a `go.mod` at all
 * (module mode outside a module behaves differently), whether the modules come from vendor/,
 * and the build context's go.mod files parsed (cached per model).
 */
import type { Flag } from 'dockerfile-ast';
import { commandEffect } from '../model/filesystem';
import {
  compareStageGoVersion,
  effectiveFlag,
  goflagsKnown,
  subcommandOf,
  type GoCommand,
} from './go-commands';
import {
  contextPathOf,
  moduleFor,
  nearestCopiedModule,
  type CopyInfo,
  type ContextIndex,
  type CopySource,
  type DockerfileModel,
  type RunInfo,
  type Stage,
} from '../model/model';
import { compareGoVersions, parseGoMod, type GoMod } from '../model/gomod';
import { programName } from '../model/shell';
import { mountOptionsOf } from '../model/instruction-view';
import { chainFact } from './stage-tree';
import { expand } from '../model/variables';
import { matchSegment } from '../text/glob';
import {
  basename,
  dirname,
  isAbsolute,
  isWithin,
  join,
  resolve,
  contextRelative,
} from '../text/posix-path';
import { zeroBasedLine } from '../text/line-index';
import { KeyedCache } from '../keyed-cache';

/** A context path that names the whole build context (`.`, `./`, `/`). */
export function isWholeContextPath(path: string): boolean {
  return contextRelative(path) === '';
}

/** A context path (or glob) that brings a `go.mod` (`go.mod`, `go.*`, `app/go.mod`). */
export function isGoModPath(path: string): boolean {
  return !isWholeContextPath(path) && matchSegment(basename(path), 'go.mod');
}

/** A COPY source that names the whole build context. */
export function isWholeContext(source: CopySource): boolean {
  return !source.remote && isWholeContextPath(source.text);
}

/**
 * A COPY source that brings everything the build context holds: the whole context, or `*` (its
 * every entry; a directory's contents land flattened, but all of it comes in).
 */
export function bringsWholeContext(source: CopySource): boolean {
  return isWholeContext(source) || (!source.remote && contextRelative(source.text) === '*');
}

/** A COPY source that brings a `go.mod` from the build context (not `ADD https://…/go.mod`). */
export function isGoModSource(source: CopySource): boolean {
  return !source.remote && isGoModPath(source.text);
}

/**
 * A COPY or ADD from the build context (no `--from`, no heredoc). An ADD's sources may still
 * fetch from elsewhere: read `remote` on each.
 */
export function fromContext(copy: CopyInfo): boolean {
  return copy.from === undefined && !copy.heredoc;
}

/** One `RUN --mount=...` with its options read and its target resolved. */
export interface Mount {
  type: string;
  /** Absolute target, or undefined when it cannot be resolved here. */
  target?: string;
  source?: string;
  from?: string;
  flag: Flag;
}

/**
 * The mounts of a RUN with their targets resolved: relative ones follow WORKDIR, variables are
 * expanded from the RUN's scope (the target is undefined when that cannot be done here). Kept
 * per RUN; callers must not modify the array.
 */
export function mountsOf(run: RunInfo): Mount[] {
  return mountsPerRun.ensure(run, () =>
    mountOptionsOf(run.instruction).map(({ type, source, from, target: written, flag }) => {
      let target: string | undefined;
      if (written !== undefined) {
        const expanded = expand(written, run.env);
        if (expanded.complete) {
          if (isAbsolute(expanded.value)) target = resolve('/', expanded.value);
          else if (run.cwd !== undefined) target = resolve(run.cwd, expanded.value);
        }
      }
      return { type, target, source, from, flag };
    }),
  );
}

const mountsPerRun = new KeyedCache<RunInfo, Mount[]>();

/** A bind mount of the build context (no `from`): the whole context, or a path in it. */
export function contextBind(mount: Mount): 'whole' | 'path' | undefined {
  if (mount.type !== 'bind' || mount.from !== undefined) return undefined;
  return isWholeContextPath(mount.source ?? '') ? 'whole' : 'path';
}

/** Whether an entry of the stage's files, written before `line`, may hold `path`. */
function writtenBefore(stage: Stage, path: string, line: number): boolean {
  if (stage.fs.opaque && zeroBasedLine(stage.fs.opaque) < line) return true;
  for (const entry of stage.fs.entries) {
    if (zeroBasedLine(entry.instruction) >= line) continue;
    if (entry.path === path) return true;
    if (entry.kind !== 'tree' || !isWithin(path, entry.path)) continue;
    const relative = path.slice(entry.path === '/' ? 1 : entry.path.length + 1);
    if (entry.contents) {
      if (entry.contents.has(relative)) return true;
      continue;
    }
    if (entry.pattern !== undefined) {
      if (!relative.includes('/') && matchSegment(entry.pattern, relative)) return true;
      continue;
    }
    if (entry.goBinaries && entry.origin === 'go') continue;
    return true;
  }
  return false;
}

/**
 * Whether the go command may find a `go.mod` in its directory or above: copied or written
 * there before, bind-mounted, created by `go mod init`, or anything the analysis cannot follow.
 * False only when there is certainly none, i.e. the command runs outside any module.
 */
export function mayBeInModule(command: GoCommand): boolean {
  const { stage, run, commandIndex, invocation } = command;
  const cwd = invocation.cwd;
  if (cwd === undefined) return true;
  const line = zeroBasedLine(run.instruction);
  const candidates: string[] = [];
  for (let dir = cwd; ; dir = dirname(dir)) {
    candidates.push(join(dir, 'go.mod'));
    if (dir === '/') break;
  }
  if (candidates.some((p) => writtenBefore(stage, p, line))) return true;
  for (const mount of mountsOf(run)) {
    if (mount.type !== 'bind') continue;
    if (mount.target === undefined) return true;
    if (candidates.some((p) => isWithin(p, mount.target!))) return true;
  }
  // Earlier commands of the same RUN that write files, or a `go mod init` anywhere before.
  for (let i = 0; i < commandIndex; i++) {
    const earlier = run.commands[i];
    if (programName(earlier.words[0]) === 'go') {
      // Of the go commands, only `go mod init` writes a go.mod.
      if (earlier.words[1]?.text === 'mod' && earlier.words.some((w) => w.text === 'init'))
        return true;
      continue;
    }
    const effect = commandEffect(earlier, undefined);
    if (effect.kind === 'writes' || effect.kind === 'opaque') return true;
  }
  if (stage.parent && initsModuleInChain(stage.parent)) return true;
  return stage.runs.some((r) => zeroBasedLine(r.instruction) < line && initsModule(r));
}

/**
 * Whether the go command runs inside a source tree the image fetched itself (`git clone`, `ADD` of
 * a git repository) before it or earlier in its RUN: it builds that tree's module, whose go.mod is
 * not the build context's one the analysis reads.
 */
export function runsInClonedTree(command: GoCommand): boolean {
  const cwd = command.invocation.cwd;
  if (cwd === undefined) return false;
  const line = zeroBasedLine(command.run.instruction);
  return command.stage.fs.entries.some(
    (entry) =>
      entry.cloned === true &&
      zeroBasedLine(entry.instruction) <= line &&
      isWithin(cwd, entry.path),
  );
}

function initsModule(run: RunInfo): boolean {
  return run.commands.some(
    (c) =>
      programName(c.words[0]) === 'go' &&
      c.words[1]?.text === 'mod' &&
      c.words.some((w) => w.text === 'init'),
  );
}

/** A `go mod init` runs in the stage or a stage it is built on (all of them before its own). */
const initsModuleInChain = chainFact<boolean>(
  (stage, inherited) => inherited === true || stage.runs.some(initsModule),
);

/**
 * Whether the go command runs in module mode: GO111MODULE=off (or auto outside a module) is
 * GOPATH mode; undefined when GO111MODULE is set to a value not known here.
 */
export function moduleMode(command: GoCommand): boolean | undefined {
  const value = command.invocation.env.get('GO111MODULE');
  if (value === null) return undefined;
  if (value === 'off') return false;
  if (value === 'auto') return mayBeInModule(command) ? undefined : false;
  return true;
}

const contextGoMods = new KeyedCache<ContextIndex, Map<string, { text: string; goMod: GoMod }>>();

/**
 * A go.mod of the build context (`go.mod`, `app/go.mod`), parsed once per build context (and
 * again when its text changes); undefined when the context is not known, has no such file or
 * cannot be read.
 */
export function contextGoMod(model: DockerfileModel, path: string): GoMod | undefined {
  const context = model.context;
  if (!context?.read || !context.files.has(path)) return undefined;
  const text = context.read(path);
  if (text === undefined) return undefined;
  let known = contextGoMods.get(context);
  if (!known) contextGoMods.set(context, (known = new Map()));
  const parsed = known.get(path);
  if (parsed !== undefined && parsed.text === text) return parsed.goMod;
  const goMod = parseGoMod(text);
  known.set(path, { text, goMod });
  return goMod;
}

// The go commands that load the main module's packages, and so its vendor/ when it is used:
// `go mod` and `go get` always use the module cache (cmd/go sets -mod=mod for them).
const VENDOR_SUBCOMMANDS = new Set(['build', 'install', 'run', 'test', 'vet', 'list', 'generate']);

/**
 * The modules of a go command come from vendor/, so it downloads none: `-mod=vendor` on the
 * command or in GOFLAGS (also when GOFLAGS is not known here), or Go's default since 1.14 when
 * no -mod is given: a module whose go.mod says `go 1.14` or later and that has a vendor folder
 * builds from it. The default is claimed only where the build context shows the module's
 * vendor/modules.txt copied into the stage beside its go.mod, with no go.work above it. For a
 * build tool, the lines its description shows must not set -mod otherwise.
 */
export function usesVendor(model: DockerfileModel, command: GoCommand): boolean {
  const invocation = command.invocation;
  const own = invocation.flags.some((f) => f.name === 'mod');
  if (!own && !goflagsKnown(invocation)) return true;
  const mod = effectiveFlag(invocation, 'mod');
  if (mod !== undefined) return mod === 'vendor';
  if (command.tool !== undefined) {
    // A description that cannot be read may pass any -mod.
    const lines = command.toolGo?.lines;
    if (!lines || lines.some(setsModOtherThanVendor)) return false;
    // `-mod=vendor` in the tool's own lines (`GOFLAGS := -mod=vendor`, `$(GO) build $(GOFLAGS)`).
    if (lines.some((line) => MOD_VENDOR.test(line))) return true;
  } else {
    if (!VENDOR_SUBCOMMANDS.has(subcommandOf(invocation))) return false;
    // `go install pkg@version` builds outside the main module.
    if (invocation.packages.some((p) => p.text.includes('@'))) return false;
  }
  return vendoredByDefault(model, command);
}

/** `-mod=vendor` (or `-mod vendor`) in a line, as a flag or in GOFLAGS. */
const MOD_VENDOR = /(?:^|[\s'"=])--?mod(?:=|\s+)vendor(?:$|[\s'"])/;

/**
 * A line of a build tool's description that gives -mod a value other than vendor (in a flag or
 * in GOFLAGS), or sets GOFLAGS to what the analysis cannot read.
 */
function setsModOtherThanVendor(line: string): boolean {
  for (const match of line.matchAll(/(?:^|[\s'"=])--?mod(?:=|\s+)([^\s'"]+)/g)) {
    if (match[1] !== 'vendor') return true;
  }
  return /\bGOFLAGS=["']?\$/.test(line);
}

/** Go's default -mod=vendor applies: see usesVendor. */
function vendoredByDefault(model: DockerfileModel, command: GoCommand): boolean {
  const { stage, invocation } = command;
  const cwd = invocation.cwd;
  if (cwd === undefined || !model.context || moduleMode(command) === false) return false;
  const module = nearestCopiedModule(stage, cwd);
  if (!module) return false;
  const line = zeroBasedLine(command.run.instruction);
  const copied = (path: string) =>
    contextPathOf(stage, path) !== undefined && writtenBefore(stage, path, line);
  if (!copied(join(module.image, 'vendor/modules.txt'))) return false;
  // In a workspace, Go before 1.22 ignores the module's vendor folder, and later ones use the
  // workspace's.
  const gowork = invocation.env.get('GOWORK');
  if (gowork === null || (gowork !== undefined && gowork !== 'off')) return false;
  if (gowork === undefined) {
    for (let dir = module.image; ; dir = dirname(dir)) {
      if (copied(join(dir, 'go.work'))) return false;
      if (dir === '/') break;
    }
  }
  const goLine = contextGoMod(model, module.goMod)?.go;
  if (goLine !== undefined && compareGoVersions(goLine, '1.14') < 0) return false;
  return (compareStageGoVersion(stage, '1.14') ?? 0) >= 0;
}

// The subcommands that, given every package of the module, download every module its builds need
// (`go get -d ./...`, the GOPATH-era way, does it too).
const LOADING_ALL = new Set(['build', 'install', 'test', 'vet', 'list', 'get']);

/**
 * The command downloads the modules the main module's builds need (when it runs, and unless it
 * has them already): `go mod download`, `go mod tidy`; a build, install, test, vet, list or get of `./...` at
 * the module root, or of `all`; a build tool whose description shows a `go mod download`. A vendored
 * build downloads nothing.
 */
export function downloadsModules(model: DockerfileModel, command: GoCommand): boolean {
  const sub = subcommandOf(command.invocation);
  if (command.tool !== undefined) {
    return (command.toolGo?.commands ?? []).some(
      (c) => subcommandOf(c) === 'mod download' && c.command.conditional !== true,
    );
  }
  // `go mod tidy` loads every package of the module, tests included, for every platform.
  if (sub === 'mod download' || sub === 'mod tidy') return true;
  if (!LOADING_ALL.has(sub) || usesVendor(model, command)) return false;
  const invocation = command.invocation;
  // `go list -m` lists modules without loading packages.
  if (invocation.flags.some((f) => f.name === 'm')) return false;
  const packages = invocation.packages.map((p) => p.text);
  if (packages.includes('all')) return true;
  if (!packages.includes('./...') || invocation.cwd === undefined) return false;
  return moduleFor(model, command.stage, invocation.cwd).root === invocation.cwd;
}
