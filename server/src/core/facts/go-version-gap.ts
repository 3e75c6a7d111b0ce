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
import {
  goMinor,
  golangBases,
  imageOlderThan,
  toolchainFamily,
  type GolangBase,
} from './golang-bases';
import { copiedGoToolchain } from './go-toolchain';
import { perKey } from './memo';
import { startProgram } from './start';
import { contextBind, mountsOf, type Mount } from './module-sources';
import { contextRelative } from '../text/posix-path';

/** A golang image older than go.mod's `go` line, used on the module. */
export interface GoVersionGap {
  base: GolangBase;
  /** The Go version the tag names. */
  version: string;
  /** go.mod's `go` line. */
  required: string;
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
    const use = (env: Env) => uses.push({ env, copied });
    for (const run of stage.runs) {
      if (mountsOf(run).some(bindsModule)) use(run.env);
      run.commands.forEach((command, index) => {
        const call = stage.goCalls.find((c) => c.run === run && c.commandIndex === index);
        const invocation: GoInvocation | undefined =
          call?.invocation ?? parseGoInvocation(command, run.env, run.cwd);
        if (!invocation) return;
        const packages = invocation.packages.map((p) => p.text);
        if (usesModule(invocation.subcommand, packages)) use(invocation.env);
      });
    }
    const own = new Set(stage.instructions);
    const start = startProgram(stage);
    if (start && own.has(start.command.instruction)) {
      const [program, sub, ...rest] = start.argv.map((w) => w.text);
      const name = program?.slice(program.lastIndexOf('/') + 1);
      if (name === 'go' && sub !== undefined && usesModule(sub, rest)) use(stage.envAtEnd);
    }
    if (stage.module.root !== undefined) use(stage.scopeAtEnd);
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

/** The golang images older than go.mod's `go` line that a stage uses on the module. */
export const goVersionGaps: (model: DockerfileModel) => GoVersionGap[] = perKey((model) => {
  const goMod = model.goMod;
  const required = goMod?.go;
  if (!goMod || required === undefined) return [];
  const gaps: GoVersionGap[] = [];
  for (const base of golangBases(model)) {
    const version = base.version;
    if (version === undefined || base.tagStart === undefined) continue;
    if (imageOlderThan(version, required) !== true) continue;
    const uses = moduleUses(toolchainFamily(model, base));
    if (uses.length === 0) continue;
    const minor = goMinor(version);
    // Go 1.21 made the go line a minimum requirement (and brought GOTOOLCHAIN).
    const enforcing = minor === undefined || minor[0] > 1 || minor[1] >= 21;
    if (enforcing && uses.every((use) => toolchainCanSwitch(use, required))) continue;
    const said = consequenceOf(base, version, { ...goMod, go: required }, enforcing);
    gaps.push({ base, version, required, enforcing, ...said });
  }
  return gaps;
});
