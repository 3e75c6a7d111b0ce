/**
 * The programs the runtime receives and what they need: every binary the image builds (the one
 * it starts, and the others a compose file or a script may start: a worker next to the server),
 * except build tools; their Go sources, read from the build context; the PATH they were found
 * on; what scratch lacks that they may use (time zones, a temporary directory).
 */
import { DEFAULT_PATH } from '../model/images';
import type { GoCall } from '../model/model';
import {
  callPackages,
  mergePackages,
  packageDir,
  programSources,
  type ProgramPackages,
} from '../facts/program-sources';
import { programNeeds, type ProgramNeeds } from '../facts/program-needs';
import { buildTargetOf } from '../facts/cgo-need';
import { pathDirectories, stageChain } from '../facts/start';
import {
  GO_TOOLCHAIN_COMMANDS,
  INTERPRETERS,
  moduleInstall,
  overrideStarts,
  SHELL_BUILTINS,
  SHELL_USERLAND,
  startedBy,
  type StartedProgram,
} from './started-programs';
import { buildsRemotePackage, flagValue } from '../model/go-invocation';
import { basename, dirname, join, resolve } from '../text/posix-path';
import { Refusal, type Plan } from './plan';
import { busyboxHas, toolchainImageHas } from './packages';
import { rootStage } from '../facts/stage-tree';
import { parseScript, programName } from '../model/shell';
import { LIVE_RELOAD_TOOLS } from '../data/live-reload-tools';
import type { CarriedBinary, RuntimePart } from './parts';
import type { StartScript, Target } from './target';

// Programs that Dockerfiles install to generate code, lint, test or reload: not run by the image.
const BUILD_TOOL_BINARIES = new Set([
  'swag',
  'protoc-gen-go',
  'protoc-gen-go-grpc',
  'protoc-gen-grpc-gateway',
  'protoc-gen-openapiv2',
  'protoc-gen-validate',
  'protoc-gen-doc',
  'buf',
  'mockgen',
  'mockery',
  'stringer',
  'golangci-lint',
  'golint',
  'staticcheck',
  'revive',
  'errcheck',
  'gosec',
  'govulncheck',
  'goimports',
  'gofumpt',
  ...LIVE_RELOAD_TOOLS,
  'dlv',
  'templ',
  'sqlc',
  'wire',
  'ent',
  'oapi-codegen',
  'gqlgen',
  'gotestsum',
  'ginkgo',
  'go-junit-report',
  'gocov',
  'gocov-xml',
  'richgo',
  'go-bindata',
  'statik',
  'packr',
  'packr2',
  'rice',
  'esc',
  'easyjson',
  'ffjson',
  'msgp',
  'enumer',
  'go-enum',
  'mage',
  'task',
  'goreleaser',
  'ko',
  'gox',
  'xgo',
  'garble',
  'controller-gen',
  'kustomize',
  'setup-envtest',
  'deepcopy-gen',
  'client-gen',
  'conversion-gen',
  'openapi-gen',
  'modd',
]);

export interface CarriedBuilds {
  /** The go commands whose binaries the runtime receives (the target's first). */
  calls: GoCall[];
  /** Where the binaries are in the build stage and in the runtime (the started one first). */
  binaries: CarriedBinary[];
}

/** The binaries a go command writes, where they are known. */
function outputsOf(call: GoCall): string[] {
  const output = call.output;
  if (output.kind === 'file') return [output.path];
  if (output.kind === 'dir' && output.names) return output.names.map((n) => join(output.path, n));
  return [];
}

/**
 * For each program name a RUN of the stage (or its parents) starts, the last line that starts it:
 * a binary built before that line is run at build time (a code generator, a migration).
 */
function lastRunLines(plan: Plan): Map<string, number> {
  const last = new Map<string, number>();
  for (const s of stageChain(plan.stage)) {
    for (const run of s.runs) {
      const line = run.instruction.getRange().start.line;
      for (const c of run.commands) {
        const word = c.words[0]?.text.replace(/^\.\//, '');
        if (word && (last.get(word) ?? -1) < line) last.set(word, line);
      }
    }
  }
  return last;
}

/** Whether a later RUN of the stage runs this binary (a code generator, a migration at build). */
function runAtBuild(lastRun: Map<string, number>, call: GoCall, path: string): boolean {
  const line = call.instruction.getRange().start.line;
  return [basename(path), path].some((word) => (lastRun.get(word) ?? -1) > line);
}

/** Whether a path, or a directory above it (other than `/` and `.`), is in the set. */
function underAny(paths: Set<string>, path: string): boolean {
  if (paths.has(path)) return true;
  for (let p = dirname(path); p !== '/' && p !== '.'; p = dirname(p)) {
    if (paths.has(p)) return true;
  }
  return false;
}

/**
 * The binaries the runtime receives: the started one, and every other binary the final stage
 * (or its parents) builds that is not a build tool.
 */
export function carriedBuilds(plan: Plan, target: Target): CarriedBuilds {
  const started = target.startedPath ?? target.builtPath;
  const result: CarriedBuilds = { calls: [], binaries: [] };
  if (target.copiedFrom) return result;
  const main = target.call;
  if (main) result.calls.push(main);
  if (main && main.output.kind === 'dir' && !main.output.names) {
    // `go install ./...` into GOBIN: the names are not known, so the whole directory comes.
    result.binaries.push({ from: main.output.path, to: main.output.path });
  } else {
    result.binaries.push({ from: started, to: started });
  }
  const seen = new Set(result.binaries.map((b) => b.to));
  const lastRun = lastRunLines(plan);
  for (const s of stageChain(plan.stage).reverse()) {
    for (const call of s.goCalls) {
      const sub = call.invocation.subcommand;
      if (sub !== 'build' && sub !== 'install') continue;
      // The started binary's single output is the started binary (maybe copied elsewhere since).
      if (call === main && outputsOf(call).length <= 1) continue;
      // The started binary's own command may build others too (`go install ./cmd/api ./cmd/worker`).
      for (const path of outputsOf(call)) {
        if (underAny(seen, path)) continue;
        const tool =
          BUILD_TOOL_BINARIES.has(basename(path)) ||
          (buildsRemotePackage(call.invocation) && runAtBuild(lastRun, call, path));
        if (tool || runAtBuild(lastRun, call, path)) continue;
        seen.add(path);
        result.binaries.push({ from: path, to: path });
        if (!result.calls.includes(call)) result.calls.push(call);
      }
    }
  }
  return result;
}

/**
 * What the carried programs need at run time, from their Go sources; undefined when none of them
 * has sources to read (no context).
 */
export function readProgramNeeds(
  plan: Plan,
  target: Target,
  builds: CarriedBuilds,
): ProgramNeeds | undefined {
  if (!plan.model.context) return undefined;
  const packages: ProgramPackages[] = [];
  if (target.builtBy) packages.push({ kind: 'all' });
  if (target.goRun) {
    const cwd = plan.stage.workdirAtEnd!;
    const args = target.goRun.packages;
    if (args.length > 0 && args.every((a) => a.endsWith('.go'))) {
      packages.push({ kind: 'files', files: args.map((a) => resolve(cwd, a)) });
    } else {
      const dir = packageDir(plan.model, plan.stage, args[0] ?? '.', cwd);
      packages.push(dir ? { kind: 'dirs', dirs: [dir] } : { kind: 'all' });
    }
  }
  const calls = target.copiedFrom && target.call ? [target.call] : builds.calls;
  for (const call of calls) packages.push(...callPackages(plan.model, call));
  const merged = mergePackages(packages);
  const stage = target.call ? plan.model.stages[target.call.stageIndex] : plan.stage;
  // The -tags of each build, when all are known (a build tool's or `go run`'s are not read).
  const tagSets = calls.map((call) => buildTargetOf(call).tags);
  const known =
    !target.builtBy && !target.goRun && tagSets.every((t): t is string[] => t !== undefined);
  return programNeeds(programSources(plan.model, stage, merged), known ? tagSets : undefined);
}

/**
 * The runtime's PATH when a carried binary sits in a directory the original image's PATH had
 * and a minimal runtime's does not (`/go/bin` after `go install`): a command that starts it by
 * name (a compose `command:`, a script) still finds it.
 */
export function runtimePathEnv(plan: Plan, binaries: CarriedBinary[]): string | undefined {
  const runtimePath = DEFAULT_PATH.split(':');
  const original = pathDirectories(plan.stage);
  const missing = original.filter(
    (dir) =>
      !runtimePath.includes(dir) && binaries.some((b) => dirname(b.to) === dir || b.to === dir),
  );
  return missing.length > 0 ? [...missing, ...runtimePath].join(':') : undefined;
}

/** What a scratch runtime needs copied that every other runtime has: zoneinfo, /tmp. */
export function scratchExtras(
  plan: Plan,
  target: Target,
  needs: ProgramNeeds | undefined,
  part: RuntimePart,
): { zoneinfo?: 'system' | 'go-zip'; tmp: boolean } {
  if (plan.runtime.family !== 'scratch') return { tmp: false };
  // The golang image gave the program Go's own zoneinfo.zip (and tzdata, when installed): on
  // scratch, time.LoadLocation would find nothing.
  const tags = target.call ? flagValue(target.call.invocation, 'tags') : undefined;
  const embedded =
    needs?.embedsTimeZones ||
    (typeof tags === 'string' && tags.split(/[ ,]/).includes('timetzdata'));
  let zoneinfo: 'system' | 'go-zip' | undefined;
  if (part.tzdata) zoneinfo = 'system';
  else if (!embedded) {
    const builder = target.call ? plan.model.stages[target.call.stageIndex] : plan.stage;
    if (builder.facts.family === 'golang') zoneinfo = 'go-zip';
    else
      plan.notes.push(
        'scratch gets no time zone data: build with -tags timetzdata if the program loads time zones.',
      );
  }
  // Temporary files need /tmp, which scratch lacks.
  const tmp = !needs?.sources.complete || needs.writes.some((w) => w.temporary);
  return { zoneinfo, tmp };
}

/**
 * The programs the Go sources start through os/exec, and those the literal `-c` scripts of the
 * shells they start run; refused when a shell is given a script made at run time.
 */
function sourceStarts(needs: ProgramNeeds | undefined): StartedProgram[] {
  const started: StartedProgram[] = [];
  for (const e of needs?.executes ?? []) {
    started.push({ program: e.program, where: e.where, byScript: false });
    if (e.script === null) {
      throw new Refusal(
        `the program runs ${e.program} with a script made at run time (exec.Command in ${e.where}): what that script runs and writes is not known, so no minimal runtime can be chosen for it; keep the golang image or write the runtime stage by hand.`,
      );
    }
    // `exec.Command("sh", "-c", "gzip -9 out.log")`: what the script runs is started too.
    for (const command of e.script === undefined ? [] : parseScript(e.script).commands) {
      const name = programName(command.words[0]);
      if (name !== undefined && !SHELL_BUILTINS.has(name) && !command.words[0].dynamic) {
        started.push({ program: name, where: e.where, byScript: false });
      }
    }
  }
  return started;
}

/**
 * The programs the carried programs start through os/exec, by name, and whether a shell's
 * userland is needed for them. Refused: a name computed at run time (the runtime cannot be
 * chosen for it), the go command (the program needs the toolchain at run time, whatever runtime
 * the packages would choose), and a program neither the image installed nor the golang image had.
 */
export function executedPrograms(
  plan: Plan,
  needs: ProgramNeeds | undefined,
  builds: CarriedBuilds,
  script?: StartScript,
): { executed: string[]; shellReason?: string } {
  const executed: string[] = [];
  let shellReason: string | undefined;
  const carried = new Set(builds.binaries.map((b) => basename(b.to)));
  const installs = plan.stage.packages.size > 0;
  // What the start script runs is started the same way (its shell builtins need nothing).
  const fromScript: StartedProgram[] = (script?.programs ?? [])
    .filter((p) => !SHELL_BUILTINS.has(p) && p !== basename(script!.path))
    .map((program) => ({ program, where: script!.path, byScript: true }));
  const fromSources = sourceStarts(needs);
  const overrides = overrideStarts(plan, carried);
  shellReason = overrides.shellReason;
  if (overrides.bash) executed.push('bash');
  const started = [...fromSources, ...fromScript, ...overrides.started];
  // The toolchain first: installing packages (which moves the runtime to Debian or alpine) gives
  // no go command.
  const toolchain = started.find(
    (e) => e.program !== undefined && GO_TOOLCHAIN_COMMANDS.has(basename(e.program)),
  );
  if (toolchain) {
    const name = basename(toolchain.program!);
    throw new Refusal(
      toolchain.byScript
        ? `the start script ${toolchain.where} runs ${name} (${scriptGoUses(script!, name)}), so the image needs the Go toolchain at run time (a development image); keep the golang image.`
        : `the program runs the ${name} command (exec.Command in ${toolchain.where}), so the image needs the Go toolchain at run time; keep a golang image to run it, one that gets only the binary from a build stage, without the sources and caches.`,
    );
  }
  for (const exec of started) {
    if (exec.program === undefined) {
      throw new Refusal(
        `the program starts other programs whose names are computed at run time (exec.Command in ${exec.where}); a minimal runtime would not have them, so keep the golang image or write the runtime stage by hand.`,
      );
    }
    const name = basename(exec.program);
    if (carried.has(name) || executed.includes(name)) continue;
    if (
      exec.override === undefined &&
      exec.program.startsWith('/') &&
      plan.stage.fs.lookup(exec.program).presence === 'yes'
    ) {
      continue;
    }
    // A shell's userland, or busybox's applets on alpine: a runtime with a shell has them.
    if (SHELL_USERLAND.has(name) || busyboxHas(plan.stage, name)) {
      shellReason ??=
        exec.override !== undefined
          ? `${exec.where} runs ${name}`
          : `the program runs ${name} (${startedBy(exec)})`;
      if (name === 'bash') executed.push(name);
      continue;
    }
    const modules = INTERPRETERS.has(name) ? moduleInstall(plan) : undefined;
    if (modules) {
      throw new Refusal(
        `the program runs ${name} (${startedBy(exec)}), and the image installs the modules its scripts load with \`${modules}\`, which the conversion does not carry: write the runtime stage by hand or keep this image.`,
      );
    }
    if (toolchainImageHas(plan.stage, name) || installs) {
      executed.push(name);
      continue;
    }
    if (exec.override !== undefined) {
      throw new Refusal(
        `${exec.where} runs ${exec.program} (\`${exec.override}\`), which the runtime stage would not have: only the built binaries are carried to it.`,
      );
    }
    const what = exec.byScript
      ? `the start script ${exec.where} runs ${exec.program}`
      : `the program runs ${exec.program} (exec.Command in ${exec.where})`;
    throw new Refusal(
      `${what}, which the image does not install and ${rootStage(plan.stage).baseText ?? 'the golang image'} does not have, so no runtime would have it either.`,
    );
  }
  return { executed, shellReason };
}

/** The go subcommands a start script runs (`go build, go mod download`), for the reason. */
function scriptGoUses(script: StartScript, name: string): string {
  const uses = script.goUses.filter((u) => u.startsWith(`${name} `) || u === name);
  return uses.length > 0 ? uses.join(', ') : name;
}
