/** RUN instructions in the model: the commands they run, the go commands among them, what they write. */
import type { Flag, Instruction } from 'dockerfile-ast';
import { cacheOf } from './instruction-cache';
import type { Range } from '../types';
import { overlay, withValue, type Env } from './env';
import {
  commandFromArgv,
  parseScript,
  programName,
  shellCommandScript,
  SHELLS,
  type SimpleCommand,
} from './shell';
import {
  goOutputs,
  parseGoInvocation,
  type CgoState,
  type EnvValue,
  type GoInvocation,
  type GoOutput,
  type ModuleInfo,
} from './go-invocation';
import { packageCommand, packageName } from './package-commands';
import { parseGoMod } from './gomod';
import { commandEffect, SYSTEM_WRITE_PREFIXES, type GoBinary } from './filesystem';
import { execForm, heredocCommandLine, heredocsOf, logicalArguments } from './instruction-text';
import { mountFlagsOf } from './instruction-view';
import { findStageByName } from './stage-references';
import type { DockerfileModel, GoCall, MountFrom, RunInfo, Stage } from './types';
import { expand, type Scope } from './variables';
import { dirname, isAbsolute, isWithin, join, resolve } from '../text/posix-path';

const HEREDOC_MARKER = /<<-?\s*(["']?)[A-Za-z_][A-Za-z0-9_]*\1/g;

/** The scripts and command lines a RUN executes. */
function runCommands(model: DockerfileModel, instruction: Instruction) {
  const logical = logicalArguments(instruction, model.index, model.escapeChar);
  const argv = execForm(logical?.text);
  if (argv) {
    return { exec: true, heredoc: false, script: undefined, commands: [commandFromArgv(argv)] };
  }
  const heredocs = heredocsOf(instruction, model.index);
  const commandLine = heredocCommandLine(instruction, model.index, model.escapeChar, heredocs);
  if (commandLine !== undefined) {
    const rest = commandLine.replace(HEREDOC_MARKER, '').trim();
    const restCommands = parseScript(rest).commands;
    const first = restCommands[0];
    // `RUN <<EOF` and `RUN bash <<EOF` run the body as a shell script.
    const feedsShell =
      rest === '' ||
      (restCommands.length === 1 &&
        SHELLS.has(programName(first.words[0]) ?? '') &&
        first.words.slice(1).every((w) => w.text.startsWith('-') && !w.text.includes('c')));
    if (!feedsShell) return { exec: false, heredoc: true, script: rest, commands: restCommands };
    const body = heredocs[0].body;
    if (body.startsWith('#!')) {
      const interpreter =
        body
          .slice(2, body.search(/\r?\n|$/))
          .trim()
          .split(/\s+/)
          .pop() ?? '';
      const name = interpreter.slice(interpreter.lastIndexOf('/') + 1);
      if (!SHELLS.has(name)) {
        return { exec: false, heredoc: true, script: undefined, commands: [], opaque: true };
      }
    }
    return { exec: false, heredoc: true, script: body, commands: parseScript(body).commands };
  }
  const script = logical?.text ?? '';
  return { exec: false, heredoc: false, script, commands: parseScript(script).commands };
}

const C_COMPILER_PACKAGES = new Set([
  'gcc',
  'clang',
  'build-base',
  'build-essential',
  'g++',
  'musl-dev',
]);

/** What the model made of a RUN instruction; undefined for any other instruction. */
export function runOf(instruction: Instruction): RunInfo | undefined {
  return cacheOf(instruction).run;
}

export function addRun(
  model: DockerfileModel,
  stage: Stage,
  instruction: Instruction,
  scope: Scope,
): void {
  const parsed = runCommands(model, instruction);
  const run: RunInfo = {
    instruction,
    exec: parsed.exec,
    script: parsed.script,
    heredoc: parsed.heredoc,
    commands: [],
    commandCwds: [],
    mounts: mountFlagsOf(instruction),
    mountFroms: [],
    env: scope,
    cwd: stage.workdirAtEnd,
  };
  stage.runs.push(run);
  cacheOf(instruction).run = run;
  for (const mount of run.mounts) {
    const from = mountFrom(model, mount, scope);
    if (!from) continue;
    run.mountFroms.push(from);
    from.stage?.usedBy.add(stage.index);
  }
  if ('opaque' in parsed && parsed.opaque) stage.fs.markOpaque(instruction);
  new RunReader(model, stage, run).visit(parsed.commands, scope, 0);
}

/** A mount's `from=`, resolved among the stages before this one (later ones at the end). */
function mountFrom(model: DockerfileModel, flag: Flag, scope: Scope): MountFrom | undefined {
  let raw: string | null | undefined;
  let range: Range | null | undefined;
  try {
    const option = flag.getOption('from');
    raw = option?.getValue();
    range = option?.getValueRange();
  } catch {
    return undefined;
  }
  if (raw === null || raw === undefined || raw === '' || !range) return undefined;
  const expanded = expand(raw, scope);
  const name = expanded.complete ? expanded.value : raw;
  const stage = name.includes('$') ? undefined : findStageByName(model.stages, name);
  return { flag, raw, range, value: expanded.value, complete: expanded.complete, stage };
}

/** Follows a RUN's commands in order: the directory they run in, exports, what they write. */
class RunReader {
  private cwd: string | undefined;
  /** A command so far read variables from a file or text (`. /env`): see GoInvocation. */
  private envSourced = false;
  private readonly instruction: Instruction;

  constructor(
    private readonly model: DockerfileModel,
    private readonly stage: Stage,
    private readonly run: RunInfo,
  ) {
    this.cwd = stage.workdirAtEnd;
    this.instruction = run.instruction;
  }

  visit(commands: SimpleCommand[], env: Env, depth: number): void {
    for (const command of commands) {
      const commandIndex = this.run.commands.length;
      this.run.commands.push(command);
      this.run.commandCwds.push(this.cwd);
      const name = programName(command.words[0]);
      if (name === 'cd') {
        this.cd(command);
        continue;
      }
      if (name === 'export' || (command.words.length === 0 && command.assignments.length > 0)) {
        env = exported(env, command);
        continue;
      }
      if (name === 'source' || name === '.' || name === 'eval') this.envSourced = true;
      const script = shellCommandScript(command);
      if (script !== undefined && depth < 4) {
        this.visit(parseScript(script, command.conditional).commands, env, depth + 1);
        continue;
      }
      this.command(command, commandIndex, name, env);
    }
  }

  private cd(command: SimpleCommand): void {
    const target = command.words[1];
    if (!target || target.dynamic || target.text === '-' || target.text.startsWith('~')) {
      this.cwd = target ? undefined : this.cwd;
    } else if (isAbsolute(target.text)) this.cwd = resolve('/', target.text);
    else if (this.cwd !== undefined) this.cwd = resolve(this.cwd, target.text);
  }

  /** A command other than `cd`, `export` and `sh -c`. */
  private command(
    command: SimpleCommand,
    commandIndex: number,
    name: string | undefined,
    env: Env,
  ): void {
    const { stage, instruction } = this;
    const packages = packageCommand(command);
    if (packages?.action === 'install') {
      for (const word of packages.names) stage.packages.add(packageName(word.text));
    }
    const invocation = this.goCommand(command, commandIndex, env);
    // `go env -w` persists in the stage's go configuration file.
    if (name === 'go' && command.words[1]?.text === 'env' && command.words[2]?.text === '-w') {
      for (const word of command.words.slice(3)) {
        const eq = word.text.indexOf('=');
        if (eq > 0 && !word.dynamic)
          stage.goEnv.set(word.text.slice(0, eq), word.text.slice(eq + 1));
      }
      return;
    }
    const sub = invocation?.subcommand;
    if (invocation && (sub === 'build' || sub === 'install' || sub === 'run')) {
      stage.goCommands[stage.goCommands.length - 1].call = addGoCall(
        this.model,
        stage,
        this.run,
        invocation,
        commandIndex,
        instruction,
      );
      // `go run` executes the program, which may write anything.
      if (sub === 'run') stage.fs.markOpaque(instruction);
      return;
    }
    if (sub === 'generate' || sub === 'tool') {
      stage.fs.markOpaque(instruction);
      return;
    }
    this.effect(command, name);
  }

  /** The go command a command runs (maybe behind `env`, `exec`, ...), recorded in the stage. */
  private goCommand(
    command: SimpleCommand,
    commandIndex: number,
    env: Env,
  ): GoInvocation | undefined {
    const runsGo = command.words.some((w) => {
      const program = programName(w);
      return program === 'go' || program === 'xx-go' || program === 'go-wrapper';
    });
    if (!runsGo) return undefined;
    const { stage } = this;
    const invocation = parseGoInvocation(command, overlay(new Map(stage.goEnv), env), this.cwd);
    if (invocation && this.envSourced) invocation.envSourced = true;
    if (invocation) stage.goCommands.push({ run: this.run, commandIndex, invocation });
    return invocation;
  }

  /** What a command that is not a go command writes. */
  private effect(command: SimpleCommand, name: string | undefined): void {
    const { stage, instruction } = this;
    const effect = commandEffect(command, this.cwd, (path) => stage.fs.isDirectory(path));
    if (effect.kind === 'opaque') stage.fs.markOpaque(instruction);
    else if (effect.kind === 'system') {
      for (const prefix of SYSTEM_WRITE_PREFIXES) {
        if (!stage.fs.systemWrites.includes(prefix)) stage.fs.systemWrites.push(prefix);
      }
    } else if (effect.kind === 'writes') {
      for (const write of effect.paths) {
        stage.fs.add({
          path: write.path,
          kind: write.kind,
          origin: name === 'mkdir' ? 'mkdir' : 'run',
          contents: name === 'mkdir' ? new Set() : undefined,
          cloned: write.cloned,
          instruction,
        });
      }
    }
  }
}

/** The environment after `export NAME=value ...` or a command of assignments only. */
function exported(env: Env, command: SimpleCommand): Env {
  for (const a of command.assignments)
    env = withValue(env, a.name, a.value.dynamic ? null : a.value.text);
  for (const word of command.words.slice(1)) {
    const eq = word.text.indexOf('=');
    if (eq > 0)
      env = withValue(env, word.text.slice(0, eq), word.dynamic ? null : word.text.slice(eq + 1));
  }
  return env;
}

/** The build-context path a file of the stage came from, when a COPY brought it from there. */
export function contextPathOf(stage: Stage, imagePath: string): string | undefined {
  const entries = stage.fs.entries;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry.origin !== 'copy' || entry.contextPath === undefined) continue;
    if (entry.kind === 'file') {
      if (entry.path === imagePath) return entry.contextPath;
    } else if (entry.contents && isWithin(imagePath, entry.path) && imagePath !== entry.path) {
      const relative =
        entry.path === '/' ? imagePath.slice(1) : imagePath.slice(entry.path.length + 1);
      if (entry.contents.has(relative)) {
        return entry.contextPath === '' ? relative : `${entry.contextPath}/${relative}`;
      }
    }
  }
  return undefined;
}

/**
 * Where the go.mod a COPY put at `dir/go.mod` came from: its context path (`goMod`) and the
 * context folder holding it (`''` for the context's root); undefined when no COPY did.
 */
export function copiedGoMod(
  stage: Stage,
  dir: string,
): { goMod: string; context: string } | undefined {
  const goMod = contextPathOf(stage, join(dir, 'go.mod'));
  if (goMod === undefined) return undefined;
  const folder = dirname(goMod);
  return { goMod, context: folder === '.' ? '' : folder };
}

/**
 * The nearest image folder at or above `dir` holding a go.mod copied from the build context,
 * with where that go.mod came from.
 */
export function nearestCopiedModule(
  stage: Stage,
  dir: string,
): { image: string; goMod: string; context: string } | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const copied = copiedGoMod(stage, d);
    if (copied) return { image: d, ...copied };
    if (d === '/') return undefined;
  }
}

/**
 * The module a go command in `dir` builds: the nearest go.mod at or above it that a COPY brought
 * from the build context, read from there; else what the stage knows (go.mod given to the
 * analysis, root where it was copied).
 */
export function moduleFor(
  model: DockerfileModel,
  stage: Stage,
  dir: string | undefined,
): ModuleInfo {
  const read = model.context?.read;
  const module = read && dir !== undefined ? nearestCopiedModule(stage, dir) : undefined;
  if (read && module) {
    const text = read(module.goMod);
    if (text !== undefined) return { root: module.image, path: parseGoMod(text).module };
  }
  return stage.module;
}

function addGoCall(
  model: DockerfileModel,
  stage: Stage,
  run: RunInfo,
  invocation: GoInvocation,
  commandIndex: number,
  instruction: Instruction,
): GoCall {
  const output: GoOutput =
    invocation.subcommand === 'run'
      ? { kind: 'none' }
      : goOutputs(invocation, moduleFor(model, stage, invocation.cwd));
  const call: GoCall = {
    invocation,
    output,
    instruction,
    stageIndex: stage.index,
    run,
    commandIndex,
  };
  stage.goCalls.push(call);
  if (output.kind === 'file') {
    const binary: GoBinary = { name: output.name, builtAt: output.path, call };
    stage.fs.add({
      path: output.path,
      kind: 'file',
      origin: 'go',
      goBinaries: [binary],
      instruction,
    });
  } else if (output.kind === 'dir') {
    const binaries = (output.names ?? []).map((name) => ({
      name,
      builtAt: join(output.path, name),
      call,
    }));
    stage.fs.add({
      path: output.path,
      kind: 'tree',
      origin: 'go',
      goBinaries: binaries,
      instruction,
    });
  } else if (output.kind === 'unknown') {
    stage.fs.markOpaque(instruction);
  }
  return call;
}

/**
 * Whether cgo is on for a go command, and whether `CGO_ENABLED` says so explicitly. A build for
 * another operating system than the Linux builder's (`GOOS=windows`, `GOOS=darwin`) is a cross
 * build, for which the go command turns cgo off unless `CGO_ENABLED=1` says otherwise.
 */
export function cgoState(
  stage: Stage,
  call: GoCall,
): { state: CgoState; explicit: boolean; sourced?: true } {
  const { env } = call.invocation;
  const value = env.get('CGO_ENABLED');
  // A sourced file may have set it (`sourced`): not known, and not left to the default.
  if (value === undefined && call.invocation.envSourced)
    return { state: 'unknown', explicit: true, sourced: true };
  const goos = env.get('GOOS');
  if (value === undefined && stage.facts.libc !== undefined && goos && goos !== 'linux') {
    if (!goos.includes('$')) return { state: 'off', explicit: false };
  }
  return cgoStateFor(stage, value);
}

/** Whether cgo is on for a build in the stage with CGO_ENABLED set to `value` (or unset). */
export function cgoStateFor(
  stage: Stage,
  value: EnvValue | undefined,
): { state: CgoState; explicit: boolean } {
  if (value === '0') return { state: 'off', explicit: true };
  if (value === '1') return { state: 'on', explicit: true };
  if (value === null || value !== undefined) return { state: 'unknown', explicit: true };
  const byDefault = stage.facts.cgoByDefault;
  if (byDefault === undefined) return { state: 'unknown', explicit: false };
  if (byDefault) return { state: 'on', explicit: false };
  // golang:*-alpine has no C compiler until one is installed; Go then turns cgo off.
  const compiler = [...stage.packages].some((p) => C_COMPILER_PACKAGES.has(p));
  return { state: compiler ? 'on' : 'off', explicit: false };
}
