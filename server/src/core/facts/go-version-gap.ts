/**
 * The golang images (in a FROM, or copied in by `COPY --from`) whose Go is older than the `go`
 * line of go.mod while a stage works on the module with it: since Go 1.21 the go command refuses
 * such a module unless GOTOOLCHAIN lets it fetch a newer Go, and the golang images set
 * GOTOOLCHAIN=local; older Go cannot read a newer go.mod or compiles it with an older standard
 * library. go-version-older-than-go-mod reports them; the conversion, which keeps the build
 * image, says so in its notes. Cached per model.
 */
import { parseGoInvocation, type Env, type GoInvocation } from '../model/go-invocation';
import type { DockerfileModel, Stage } from '../model/model';
import type { GoMod } from '../model/gomod';
import { nearestCopiedModule } from '../model/run';
import {
  goMinor,
  golangBases,
  imageOlderThan,
  toolchainFamily,
  type GolangBase,
} from './golang-bases';
import { copiedGoToolchain } from './go-toolchain';
import { perKey } from './memo';
import { KeyedCache } from '../keyed-cache';
import { startProgram } from './start';
import { contextBind, contextGoMod, mountsOf, type Mount } from './module-sources';
import { contextRelative } from '../text/posix-path';

/** A golang image older than go.mod's `go` line, used on the module. */
export interface GoVersionGap {
  base: GolangBase;
  /** The Go version the tag names. */
  version: string;
  /** go.mod's `go` line. */
  required: string;
  /** The go.mod whose `go` line that is: the one the image builds with. */
  goMod: GoMod;
  /**
   * Its path in the build context when it is not the go.mod given to the analysis (a module in a
   * subfolder that the stage copies and builds), for messages.
   */
  goModPath?: string;
  /** The go command enforces the go line (Go 1.21 and later). */
  enforcing: boolean;
  /** 'warning' when a Go before 1.21 still reads go.mod and only fails where newer code is used. */
  severity: 'error' | 'warning';
  /** What happens, as a sentence: the go command's error, or what older Go does. */
  consequence: string;
}

// go subcommands that do not load the module in the current directory.
const MODULE_FREE = new Set(['version', 'env', 'help', 'telemetry', 'bug']);

function usesModule(subcommand: string, packages: readonly string[]): boolean {
  if (MODULE_FREE.has(subcommand)) return false;
  // `go install pkg@v1.2.3` and `go run pkg@v1.2.3` build outside any module.
  if ((subcommand === 'install' || subcommand === 'run') && packages.length > 0) {
    return !packages.every((p) => p.includes('@'));
  }
  return true;
}

/** `RUN --mount=type=bind,target=.` (or `source=go.mod`): the module from the build context. */
function bindsModule(mount: Mount): boolean {
  const bind = contextBind(mount);
  if (bind === 'whole') return true;
  return bind === 'path' && contextRelative(mount.source ?? '') === 'go.mod';
}

/** Where a stage uses the module: the environment, and whether its Go was copied in. */
interface ModuleUse {
  env: Env;
  /** The toolchain came by COPY, without the golang image's `ENV GOTOOLCHAIN=local`. */
  copied: boolean;
  /** The stage, and the folder the go command runs in (where its go.mod is looked for). */
  stage: Stage;
  dir: string | undefined;
}

/**
 * Where the stages use the module: go commands that load it (in RUN, or as the ENTRYPOINT/CMD),
 * or the module copied or bind-mounted in for a build the model cannot see (`COPY . .` then
 * `RUN make`, `RUN --mount=target=. golangci-lint run`). Empty when the image never meets this
 * go.mod (a stage that only runs `go install tool@version`).
 */
function moduleUses(family: readonly Stage[]): ModuleUse[] {
  const uses: ModuleUse[] = [];
  for (const stage of family) {
    const copied = copiedGoToolchain(stage) !== undefined;
    const use = (env: Env, dir: string | undefined) => uses.push({ env, copied, stage, dir });
    for (const run of stage.runs) {
      if (mountsOf(run).some(bindsModule)) use(run.env, run.cwd);
      run.commands.forEach((command, index) => {
        const call = stage.goCalls.find((c) => c.run === run && c.commandIndex === index);
        const invocation: GoInvocation | undefined =
          call?.invocation ?? parseGoInvocation(command, run.env, run.cwd);
        if (!invocation) return;
        const packages = invocation.packages.map((p) => p.text);
        if (usesModule(invocation.subcommand, packages)) use(invocation.env, invocation.cwd);
      });
    }
    const own = new Set(stage.instructions);
    const start = startProgram(stage);
    if (start && own.has(start.command.instruction)) {
      const [program, sub, ...rest] = start.argv.map((w) => w.text);
      const name = program?.slice(program.lastIndexOf('/') + 1);
      if (name === 'go' && sub !== undefined && usesModule(sub, rest)) {
        use(stage.envAtEnd, stage.workdirAtEnd);
      }
    }
    if (stage.module.root !== undefined) use(stage.scopeAtEnd, stage.module.root);
  }
  return uses;
}

/**
 * Whether GOTOOLCHAIN lets the go command switch to the Go that go.mod asks for: `auto`,
 * `<name>+auto`, or a named toolchain that is new enough. The golang images set `local`; a
 * toolchain copied out of one leaves that ENV behind, and its own `$GOROOT/go.env` says `auto`.
 */
function toolchainCanSwitch(use: ModuleUse, required: string): boolean {
  const value = use.env.get('GOTOOLCHAIN');
  if (value === undefined) return use.copied;
  // Set from a build argument: it may well allow switching.
  if (value === null) return true;
  if (value === 'auto' || value.endsWith('+auto')) return true;
  const named = /^go(\S+?)(?:\+path)?$/.exec(value);
  if (named) return imageOlderThan(named[1], required) === false;
  return false;
}

function consequenceOf(
  base: GolangBase,
  version: string,
  goMod: GoMod & { go: string },
  enforcing: boolean,
): Pick<GoVersionGap, 'severity' | 'consequence'> {
  const required = goMod.go;
  if (enforcing) {
    const running = version.split('.').length === 2 ? `${version}.x` : version;
    const why = base.copy
      ? 'GOTOOLCHAIN=local keeps the go command from fetching a newer Go'
      : 'the golang images set GOTOOLCHAIN=local';
    return {
      severity: 'error',
      consequence:
        `${why}, so the go command stops with ` +
        `"go: go.mod requires go >= ${required} (running go ${running}; GOTOOLCHAIN=local)".`,
    };
  }
  if (/^\d+\.\d+$/.test(required) && goMod.toolchain === undefined) {
    return {
      severity: 'warning',
      consequence:
        `Go before 1.21 does not enforce the go line: it compiles the module with the older ` +
        `compiler and standard library, and fails ("note: module requires Go ${required}") ` +
        `wherever the code uses something newer.`,
    };
  }
  return {
    severity: 'error',
    consequence:
      `Go before 1.21 cannot even read this go.mod (` +
      (goMod.toolchain !== undefined && /^\d+\.\d+$/.test(required)
        ? '"unknown directive: toolchain"'
        : `"invalid go version '${required}': must match format 1.23"`) +
      '), so every go command fails.',
  };
}

/**
 * The go.mod a use builds with: the nearest one at or above its folder that a COPY brought from
 * the build context, read from there (a module in a subfolder of the repository has its own `go`
 * line); else the go.mod given to the analysis.
 */
function goModOf(
  model: DockerfileModel,
  use: ModuleUse,
): { goMod: GoMod; path?: string } | undefined {
  const copied =
    model.context?.read && use.dir !== undefined
      ? nearestCopiedModule(use.stage, use.dir)
      : undefined;
  // Parsed once per context file (contextGoMod).
  const goMod = copied ? contextGoMod(model, copied.goMod) : undefined;
  if (copied && goMod) {
    const same = model.goMod !== undefined && goMod.go === model.goMod.go;
    return same ? { goMod: model.goMod! } : { goMod, path: copied.goMod };
  }
  return model.goMod ? { goMod: model.goMod } : undefined;
}

/** A use of a golang image on a module, with the go.mod it builds with. */
interface ModuleGoMod {
  use: ModuleUse;
  goMod: GoMod & { go: string };
  /** The go.mod's path in the build context, when it is not the go.mod given to the analysis. */
  path?: string;
}

const goModsOfImage = new KeyedCache<GolangBase, ModuleGoMod[]>();

/** The uses of a golang image on modules whose go.mod has a `go` line (once per image). */
function moduleGoMods(model: DockerfileModel, base: GolangBase): ModuleGoMod[] {
  return goModsOfImage.ensure(base, () =>
    moduleUses(toolchainFamily(model, base)).flatMap((use) => {
      const own = goModOf(model, use);
      const go = own?.goMod.go;
      return own && go !== undefined ? [{ use, goMod: { ...own.goMod, go }, path: own.path }] : [];
    }),
  );
}

/** Of some uses, the one whose go.mod has the newest `go` line (the first of equals). */
function newestGoLine(uses: readonly ModuleGoMod[]): ModuleGoMod | undefined {
  let found: ModuleGoMod | undefined;
  for (const use of uses) {
    if (!found || imageOlderThan(found.goMod.go, use.goMod.go) === true) found = use;
  }
  return found;
}

/**
 * The go.mod a golang image builds with: of those of the modules the stages work on with it, the
 * one with the newest `go` line; the go.mod given to the analysis when no stage reads another.
 */
export function goModOfImage(
  model: DockerfileModel,
  base: GolangBase,
): { goMod: GoMod; path?: string } | undefined {
  const found = newestGoLine(moduleGoMods(model, base));
  if (found) return { goMod: found.goMod, path: found.path };
  return model.goMod ? { goMod: model.goMod } : undefined;
}

/** The golang images older than the `go` line of the go.mod a stage uses them on. */
export const goVersionGaps: (model: DockerfileModel) => GoVersionGap[] = perKey((model) => {
  const gaps: GoVersionGap[] = [];
  for (const base of golangBases(model)) {
    const version = base.version;
    if (version === undefined || base.tagStart === undefined) continue;
    const minor = goMinor(version);
    // Go 1.21 made the go line a minimum requirement (and brought GOTOOLCHAIN).
    const enforcing = minor === undefined || minor[0] > 1 || minor[1] >= 21;
    // The newest go line among the modules the image is used on that it is too old for.
    const found = newestGoLine(
      moduleGoMods(model, base).filter(
        ({ use, goMod }) =>
          imageOlderThan(version, goMod.go) === true &&
          !(enforcing && toolchainCanSwitch(use, goMod.go)),
      ),
    );
    if (!found) continue;
    const required = found.goMod.go;
    const said = consequenceOf(base, version, found.goMod, enforcing);
    gaps.push({
      base,
      version,
      required,
      enforcing,
      goMod: found.goMod,
      ...(found.path !== undefined ? { goModPath: found.path } : {}),
      ...said,
    });
  }
  return gaps;
});
