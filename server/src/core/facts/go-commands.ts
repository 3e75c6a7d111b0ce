/**
 * Every go command a stage runs, whatever its subcommand (`go get`, `go mod download`, ...),
 * with the environment it sees: the model keeps only build/install/run as GoCalls. Also the
 * build tools (`make`, a build script) that run the go command out of sight, whether a command
 * runs only on some condition, and the small facts the hygiene rules ask about a command: the
 * user and HOME it runs with, the Go version of the stage's image, and where the go command's
 * own words are.
 * Cached per stage: the go commands, the build tools, the users they run as.
 */
import type { Instruction } from 'dockerfile-ast';
import { locateCommand, wordsRange, type LocatedCommand } from '../model/command-words';
import { overlay, withValue, type Env, type EnvValue } from '../model/env';
import type { GoFlag, GoInvocation } from '../model/go-invocation';
import { compareGoVersions } from '../model/gomod';
import { instructionArguments } from '../model/instruction-text';
import type { DockerfileModel, GoCall, RunInfo, Stage } from '../model/model';
import { programName } from '../model/shell';
import { rootStage, stageTree } from './stage-tree';
import { isWithin, resolve } from '../text/posix-path';
import { oneBasedLine, zeroBasedLine } from '../text/line-index';
import type { Range } from '../types';
import { keywordOf } from '../model/instruction-view';
import {
  BUILD_TOOLS,
  buildTool,
  programByPath,
  buildsForeignTree,
  makesCleanOnly,
  noGoSourcesYet,
  runsGo,
  toolGo,
  type ToolGo,
} from './build-tools';
import { KeyedCache } from '../keyed-cache';
import { hasGoToolchain } from './go-toolchain';
import { inForeignClone } from './foreign-trees';

/** A go command in a RUN, with the state it runs in. */
export interface GoCommand {
  stage: Stage;
  run: RunInfo;
  /** Position of the command among the RUN's simple commands. */
  commandIndex: number;
  invocation: GoInvocation;
  /** The model's GoCall when the command is a build, install or run. */
  call?: GoCall;
  /**
   * The command runs only on some condition (`[ -f bin/app ] || go build`, an `if` branch):
   * it may not run at all, so nothing may be added that runs unconditionally in its place.
   */
  conditional?: boolean;
  /**
   * For a build tool that runs go out of sight (`make`, `./build.sh`), the tool as written; the
   * invocation then stands for the builds it runs: `build` in the RUN's environment and
   * directory, with no flags or packages known (`mod download` when its description shows only
   * `go mod` commands).
   */
  tool?: string;
  /** For a build tool, what its description in the build context shows it runs, when read. */
  toolGo?: ToolGo;
}

const commandsCache = new KeyedCache<Stage, GoCommand[]>();

/**
 * The go commands of one stage (not its parents), in document order, as the model recorded
 * them: the environment follows ENV and ARG, `export` and plain assignments in the same RUN,
 * inline assignments and `go env -w`.
 */
export function goCommands(stage: Stage): readonly GoCommand[] {
  let result = commandsCache.get(stage);
  if (!result) {
    result = stage.goCommands.map((c) => ({
      stage,
      ...c,
      conditional: c.invocation.command.conditional === true,
    }));
    commandsCache.set(stage, result);
  }
  return result;
}

/**
 * Whether a build tool runs in a folder below one where the stage already built Go itself, before
 * it (`go build ./cmd/app` in /src, then `make -C shim`): the Go project is built, and the folder
 * holds another part of it (a C shim, web assets, documentation).
 */
function belowDirectGoBuild(
  stage: Stage,
  run: RunInfo,
  commandIndex: number,
  cwd: string | undefined,
): boolean {
  if (cwd === undefined) return false;
  const line = zeroBasedLine(run.instruction);
  return stage.goCommands.some(({ run: other, commandIndex: index, invocation }) => {
    const at = zeroBasedLine(other.instruction);
    if (at > line || (at === line && index > commandIndex)) return false;
    if (invocation.subcommand !== 'build' && invocation.subcommand !== 'install') return false;
    if (invocation.packages.some((p) => p.text.includes('@'))) return false;
    const dir = invocation.cwd;
    return dir !== undefined && dir !== cwd && isWithin(cwd, dir);
  });
}

/** The environment a command of a RUN sees: the RUN's, then the exports and assignments before it. */
function commandEnv(stage: Stage, run: RunInfo, index: number): Env {
  let env = overlay<EnvValue>(new Map(stage.goEnv), run.env);
  const assign = (name: string, value: string, dynamic: boolean) => {
    env = withValue(env, name, dynamic ? null : value);
  };
  for (let i = 0; i <= index; i++) {
    const command = run.commands[i];
    const exports = programName(command.words[0]) === 'export';
    if (i < index && !exports && command.words.length > 0) continue;
    for (const a of command.assignments) assign(a.name, a.value.text, a.value.dynamic);
    if (!exports) continue;
    for (const word of command.words.slice(1)) {
      const eq = word.text.indexOf('=');
      if (eq > 0) assign(word.text.slice(0, eq), word.text.slice(eq + 1), word.dynamic);
    }
  }
  return env;
}

const toolsCache = new KeyedCache<Stage, GoCommand[]>();

/**
 * The stage has the go command: its image is a Go toolchain, the toolchain is copied in (into it
 * or a parent), or it or a parent runs go.
 */
function runsGoToolchain(stage: Stage): boolean {
  if (hasGoToolchain(stage)) return true;
  for (let s: Stage | undefined = stage; s; s = s.parent) if (s.goCommands.length > 0) return true;
  return false;
}

/** go subcommands that compile nothing (`mod` downloads, the others at most load packages). */
const NON_COMPILING = new Set(['mod', 'clean', 'list', 'env', 'version', 'fmt', 'doc']);

/**
 * The build tools a stage's RUNs run that build Go out of sight, in a stage with a Go toolchain
 * (its image, a toolchain copied in, or go commands run in it or a parent): `make` (and mage, task, just) unless the
 * build context shows that the targets it builds run no go, and scripts the build context shows
 * to run go (facts/build-tools.ts). Each stands for a `go build` in its RUN's environment and
 * directory (after `make -C dir`).
 */
export function toolBuilds(model: DockerfileModel, stage: Stage): readonly GoCommand[] {
  let result = toolsCache.get(stage);
  if (result) return result;
  result = [];
  if (runsGoToolchain(stage)) {
    for (const run of stage.runs) {
      for (const [commandIndex, command] of run.commands.entries()) {
        const tool = buildTool(command) ?? programByPath(command);
        if (tool === undefined) continue;
        let cwd = run.commandCwds[commandIndex];
        const dir = command.words.findIndex((w) => w.text === '-C' || w.text === '--directory');
        if (dir > 0 && BUILD_TOOLS.has(programName(command.words[0]) ?? '')) {
          const target = command.words[dir + 1];
          cwd =
            !target || target.dynamic || cwd === undefined ? undefined : resolve(cwd, target.text);
        }
        // Without a description to read, make (and mage, task, just) in a stage with a Go
        // toolchain is taken to build Go; a script that cannot be read may do anything.
        const go = toolGo(model, stage, command, cwd);
        if (go ? !runsGo(go) : !BUILD_TOOLS.has(programName(command.words[0]) ?? '')) continue;
        // Unread, a `make` of clean goals only builds nothing; one after `cmake`/`./configure` or
        // in an unpacked archive's tree builds that tree (C, often), one before any go.mod or Go
        // source is in the stage has no Go project to build, and one in a folder below a direct
        // Go build builds another part.
        if (
          !go &&
          (makesCleanOnly(command) ||
            buildsForeignTree(run, commandIndex, model.goMod?.module) ||
            inForeignClone(stage, run, cwd, model.goMod?.module) ||
            noGoSourcesYet(stage, run, commandIndex) ||
            belowDirectGoBuild(stage, run, commandIndex, cwd))
        )
          continue;
        // What the tool's go commands do, when all are known: only download (`go mod
        // download`), or only read packages without compiling (`go clean -i ./...`, `go list`).
        const known = go !== undefined && !go.unread && go.commands.length > 0;
        const downloads = known && go.commands.every((c) => c.subcommand === 'mod');
        const readsOnly = known && go.commands.every((c) => NON_COMPILING.has(c.subcommand));
        result.push({
          stage,
          run,
          commandIndex,
          conditional: command.conditional === true,
          tool,
          toolGo: go,
          invocation: {
            subcommand: downloads ? 'mod' : readsOnly ? 'list' : 'build',
            args: downloads ? [{ text: 'download', dynamic: false, glob: false }] : [],
            flags: [],
            packages: [],
            programArgs: [],
            env: commandEnv(stage, run, commandIndex),
            inlineNames: command.assignments.map((a) => a.name),
            cwd,
            viaXx: false,
            command,
          },
        });
      }
    }
  }
  toolsCache.set(stage, result);
  return result;
}

const withToolsCache = new KeyedCache<Stage, GoCommand[]>();

/**
 * The go commands of one stage and the build tools that run go for it (`toolBuilds`), in
 * document order: what the caching rules follow.
 */
export function goCommandsAndTools(model: DockerfileModel, stage: Stage): readonly GoCommand[] {
  let result = withToolsCache.get(stage);
  if (!result) {
    const tools = toolBuilds(model, stage);
    result = [...goCommands(stage)];
    if (tools.length > 0) {
      const order = new Map(stage.runs.map((r, i) => [r, i]));
      result.push(...tools);
      result.sort(
        (a, b) =>
          (order.get(a.run) ?? 0) - (order.get(b.run) ?? 0) || a.commandIndex - b.commandIndex,
      );
    }
    withToolsCache.set(stage, result);
  }
  return result;
}

/** How a message names a command: `go build`, `go mod download`, `make`, `./build.sh`. */
export function commandLabel(command: GoCommand): string {
  return command.tool ?? `go ${subcommandOf(command.invocation)}`;
}

/** `go mod download` and friends: the subcommand with its first argument (`mod download`). */
export function subcommandOf(invocation: GoInvocation): string {
  if (invocation.subcommand === 'mod' || invocation.subcommand === 'work') {
    const action = invocation.args.find((w) => !w.text.startsWith('-'));
    return action ? `${invocation.subcommand} ${action.text}` : invocation.subcommand;
  }
  return invocation.subcommand;
}

/**
 * The entries of GOFLAGS: space-separated, each possibly quoted with `'` or `"` (as cmd/go
 * splits it), without their leading dashes.
 */
export function goflagsEntries(goflags: string): string[] | undefined {
  const entries: string[] = [];
  let current = '';
  let quote: string | undefined;
  let started = false;
  for (const c of goflags) {
    if (quote) {
      if (c === quote) quote = undefined;
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started) entries.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  // An unbalanced quote: the value was not read as written (or is not valid for cmd/go).
  if (quote) return undefined;
  if (started) entries.push(current);
  return entries.map((e) => e.replace(/^--?/, ''));
}

/** Whether GOFLAGS is known here: unset, or set to a value that reads cleanly. */
export function goflagsKnown(invocation: GoInvocation): boolean {
  const goflags = invocation.env.get('GOFLAGS');
  return goflags === undefined || (goflags !== null && goflagsEntries(goflags) !== undefined);
}

/** The value of a flag given on the command or in GOFLAGS (the command line wins). */
export function effectiveFlag(invocation: GoInvocation, name: string): string | true | undefined {
  let value: string | true | undefined;
  const goflags = invocation.env.get('GOFLAGS');
  if (typeof goflags === 'string') {
    for (const body of goflagsEntries(goflags) ?? []) {
      if (body === name) value = true;
      else if (body.startsWith(name + '=')) value = body.slice(name.length + 1);
    }
  }
  for (const flag of invocation.flags) if (flag.name === name) value = flag.value;
  return value;
}

/** Whether GOFLAGS holds an entry for a flag (so a command-line flag would override it). */
export function goflagsSets(invocation: GoInvocation, name: string): boolean {
  const goflags = invocation.env.get('GOFLAGS');
  if (goflags === null) return true;
  if (goflags === undefined) return false;
  const entries = goflagsEntries(goflags);
  return entries === undefined || entries.some((e) => e === name || e.startsWith(name + '='));
}

/**
 * For each flag of the invocation, the indices of its words within `invocation.args`
 * (`-o out` takes two, `-o=out` and `-a` one).
 */
export function flagArgIndices(invocation: GoInvocation): { flag: GoFlag; indices: number[] }[] {
  const result: { flag: GoFlag; indices: number[] }[] = [];
  let i = 0;
  for (const flag of invocation.flags) {
    const word = invocation.args[i];
    if (!word) break;
    if (word.text === '--') break;
    const oneWord = word.text.includes('=') || flag.value === true;
    result.push({ flag, indices: oneWord ? [i] : [i, i + 1] });
    i += oneWord ? 1 : 2;
  }
  return result;
}

/**
 * Index of the `go` word among a command's words (after wrappers such as `env X=1`), so that
 * `args[k]` is word `goWordIndex + 2 + k`.
 */
export function goWordIndex(invocation: GoInvocation): number {
  return invocation.command.words.length - invocation.args.length - 2;
}

/** The USER a RUN runs as (inherited from parent stages), or undefined for the default (root). */
export function userAt(stage: Stage, instruction: Instruction): string | undefined {
  let users = usersByStage.get(stage);
  if (!users) {
    // One pass over the stage, kept: rules ask for every go command of the stage.
    const before = new Map<Instruction, string | undefined>();
    let user = stage.parent?.user?.value;
    for (const i of stage.instructions) {
      before.set(i, user);
      if (keywordOf(i) === 'USER') {
        const args = instructionArguments(i);
        user = args.length > 0 ? args[0].getValue() : user;
      }
    }
    users = { before, end: user };
    usersByStage.set(stage, users);
  }
  return users.before.has(instruction) ? users.before.get(instruction) : users.end;
}

const usersByStage = new KeyedCache<
  Stage,
  { before: Map<Instruction, string | undefined>; end: string | undefined }
>();

/** HOME for a command: `$HOME` when set, `/root` for root, else unknown. */
export function homeDirectory(
  env: ReadonlyMap<string, EnvValue>,
  user: string | undefined,
): string | undefined {
  const home = env.get('HOME');
  if (home === null) return undefined;
  if (home !== undefined) return home;
  if (user === undefined || /^(root|0)(:(root|0))?$/.test(user)) return '/root';
  return undefined;
}

/**
 * Compares the Go version of the stage's image with `version`: negative when older, undefined
 * when the image names no usable version (`golang:1-alpine` floats across all of Go 1).
 */
export function compareStageGoVersion(stage: Stage, version: string): number | undefined {
  const own = rootStage(stage).facts.goVersion;
  if (own === undefined || !own.includes('.')) return undefined;
  // `golang:1.18` is the newest 1.18.x: compare it as the release line, not as 1.18.0.
  const parts = own.split('.');
  const target = version.split('.');
  if (parts.length === 2 && target.length === 3 && parts[1] === target[1] && parts[0] === target[0])
    return 1;
  return compareGoVersions(own, version);
}

/** The stages built on `stage` (through `FROM <stage>`), the stage itself first. */
export function descendantStages(stages: readonly Stage[], stage: Stage): Stage[] {
  return stageTree(stages).descendants(stage);
}

/** A go command located in the document, with the index of its `go` word. */
export interface LocatedGo {
  located: LocatedCommand;
  /** Index of the `go` word in `located.words`; the subcommand follows it, then the args. */
  go: number;
}

/**
 * Locates a go command's words, or undefined when they cannot be found with certainty. For a
 * build tool, `go` is the tool's first word.
 */
export function locateGo(model: DockerfileModel, command: GoCommand): LocatedGo | undefined {
  const located = locateCommand(model, command.run, command.commandIndex);
  if (!located) return undefined;
  if (command.tool !== undefined) {
    return located.firstWord < located.words.length
      ? { located, go: located.firstWord }
      : undefined;
  }
  const go = located.firstWord + goWordIndex(command.invocation);
  if (go < 0 || go + 1 >= located.words.length) return undefined;
  return { located, go };
}

/**
 * The one-based line a message gives for a go command: the line of its `go` word, which may be a
 * continuation line of its RUN (the RUN's own line when the word cannot be located).
 */
export function goCommandLine(model: DockerfileModel, command: GoCommand): number {
  return oneBasedLine(goCommandRange(model, command));
}

/** Where to report on a go command: its words from `go` on, or the RUN keyword. */
export function goCommandRange(
  model: DockerfileModel,
  command: GoCommand,
  where?: LocatedGo,
): Range {
  const at = where ?? locateGo(model, command);
  if (!at) return command.run.instruction.getInstructionRange();
  return wordsRange(model, at.located, at.go, at.located.words.length - 1);
}
