/**
 * Which platform a go command builds for: where its GOOS and GOARCH come from (unset, the target
 * or build platform ARGs, tonistiigi/xx, a literal), the range of `go build` for messages, and
 * whether the command builds a tool for the build machine rather than the shipped program.
 * Computed on each call; per-RUN assignments and per-stage `go env -w` writes are cached.
 */
import type { Instruction } from 'dockerfile-ast';
import { descendantStages } from './go-commands';
import {
  PLATFORM_ARGS,
  type DockerfileModel,
  type GoCall,
  type RunInfo,
  type Stage,
} from '../model/model';
import { programName, type SimpleCommand } from '../model/shell';
import { shippedStages } from './builds';
import { isCarrier, mountedBuilds } from './carriers';
import { overlay } from '../model/env';
import { chainFact, stageTree } from './stage-tree';
import type { Range } from '../types';
import {
  effectivePlatform,
  envProperties,
  isBuildArg,
  isBuildPlatformValue,
  isTargetArg,
  keyword,
  programRange,
  referencedNames,
  xxWrapped,
} from './platform';
import { unquote } from '../text/quotes';
import { KeyedCache } from '../keyed-cache';

/**
 * Where a go command's GOOS or GOARCH comes from: unset (the go command uses the machine it runs
 * on), the target platform ARGs (or tonistiigi/xx), the build platform ARGs, a literal, or
 * something else (a user ARG, a command substitution).
 */
export type PlatformSource =
  | { kind: 'unset' }
  | { kind: 'target' }
  | { kind: 'build' }
  | { kind: 'literal'; value: string }
  | { kind: 'other' };

type Lookup = (name: string) => string | null | undefined;

/** Classifies a value as written (variables as `$NAME`/`${NAME}`) by what it is derived from. */
function classify(raw: string, lookup: Lookup, depth = 0): PlatformSource {
  if (/\$\(|`/.test(raw) || raw.includes('${}')) return { kind: 'other' };
  const names = referencedNames(raw);
  if (names.length === 0) return { kind: 'literal', value: unquote(raw) };
  if (names.some(isTargetArg)) return { kind: 'target' };
  if (names.some(isBuildArg)) return { kind: 'build' };
  if (depth > 4) return { kind: 'other' };
  for (const name of names) {
    const value = lookup(name);
    if (typeof value !== 'string') continue;
    const source = classify(value, lookup, depth + 1);
    if (source.kind === 'target' || source.kind === 'build') return source;
  }
  return { kind: 'other' };
}

/** ENV and ARG values as written (both inherited from a parent stage), before an instruction. */
interface PlatformScope {
  env: ReadonlyMap<string, string>;
  args: ReadonlyMap<string, string | null>;
}

const scopesByStage = new KeyedCache<
  Stage,
  { before: Map<Instruction, PlatformScope>; end: PlatformScope }
>();

/**
 * ENV values as written at the end of a stage, its parents' included: shared with the parent
 * when the stage sets none, so a long chain of stages holds one map, not one per stage.
 */
function envWrittenAtEnd(model: DockerfileModel): (stage: Stage) => ReadonlyMap<string, string> {
  let fact = envFacts.get(model);
  if (!fact) {
    fact = chainFact<ReadonlyMap<string, string>>((stage, inherited) => {
      let env = inherited ?? new Map<string, string>();
      for (const instruction of stage.instructions) {
        if (keyword(instruction) !== 'ENV') continue;
        const properties = envProperties(instruction);
        if (properties.length === 0) continue;
        const values = new Map<string, string>();
        for (const property of properties) {
          const range = property.getValueRange();
          values.set(property.getName(), range ? model.index.textOf(range) : '');
        }
        env = overlay(env, values);
      }
      return env;
    });
    envFacts.set(model, fact);
  }
  return fact;
}

const envFacts = new KeyedCache<DockerfileModel, (stage: Stage) => ReadonlyMap<string, string>>();

// Computed for the whole stage in one pass and kept (rules ask for every go command): the maps
// are shared between instructions and copied only where an ENV or ARG changes them.
function scopeBefore(model: DockerfileModel, stage: Stage, before: Instruction): PlatformScope {
  return stageScopes(model, stage).before.get(before) ?? stageScopes(model, stage).end;
}

function stageScopes(
  model: DockerfileModel,
  stage: Stage,
): { before: Map<Instruction, PlatformScope>; end: PlatformScope } {
  let scopes = scopesByStage.get(stage);
  if (!scopes) {
    const inherited = stage.parent ? envWrittenAtEnd(model)(stage.parent) : new Map();
    // BuildKit starts a stage with its parent's ARG values too.
    const args = stage.parent ? stageScopes(model, stage.parent).end.args : new Map();
    let current: PlatformScope = { env: inherited, args };
    const beforeMap = new Map<Instruction, PlatformScope>();
    for (const instruction of stage.instructions) {
      beforeMap.set(instruction, current);
      const kind = keyword(instruction);
      if (kind === 'ENV') {
        const properties = envProperties(instruction);
        if (properties.length === 0) continue;
        const values = new Map<string, string>();
        for (const property of properties) {
          const range = property.getValueRange();
          values.set(property.getName(), range ? model.index.textOf(range) : '');
        }
        current = { env: overlay(current.env, values), args: current.args };
      } else if (kind === 'ARG') {
        const declared = stage.args.filter((a) => a.instruction === instruction);
        if (declared.length === 0) continue;
        const values = new Map<string, string | null>();
        for (const arg of declared) {
          const text = model.index.textOf(arg.range);
          const eq = text.indexOf('=');
          values.set(
            arg.name,
            eq < 0 ? (PLATFORM_ARGS.has(arg.name) ? `$${arg.name}` : null) : text.slice(eq + 1),
          );
        }
        current = { env: current.env, args: overlay(current.args, values) };
      }
    }
    scopes = { before: beforeMap, end: current };
    scopesByStage.set(stage, scopes);
  }
  return scopes;
}

function assignmentIn(words: SimpleCommand['words'], name: string): string | undefined {
  let value: string | undefined;
  for (const word of words) {
    if (word.text.startsWith(name + '=')) value = word.text.slice(name.length + 1);
  }
  return value;
}

const envWritesByStage = new KeyedCache<Stage, Map<string, Map<Instruction, string | undefined>>>();

/** The settings of `go env -w` commands run in each RUN, in order (one entry per word). */
function goEnvWrites(run: RunInfo): [string, string][] {
  const writes: [string, string][] = [];
  for (const command of run.commands) {
    if (
      programName(command.words[0]) === 'go' &&
      command.words[1]?.text === 'env' &&
      command.words[2]?.text === '-w'
    ) {
      for (const word of command.words.slice(3)) {
        const eq = word.text.indexOf('=');
        if (eq > 0) writes.push([word.text.slice(0, eq), word.text.slice(eq + 1)]);
      }
    }
  }
  return writes;
}

/**
 * What `go env -w` set by the end of a stage, its parents' included: shared with the parent when
 * the stage sets nothing.
 */
const goEnvAtEnd = chainFact<ReadonlyMap<string, string>>((stage, inherited) => {
  let env = inherited ?? new Map<string, string>();
  for (const run of stage.runs) {
    const writes = goEnvWrites(run);
    if (writes.length > 0) env = new Map([...env, ...writes]);
  }
  return env;
});

/** `go env -w NAME=value` run in the stage or a stage it is built on, before `before`. */
function goEnvWrite(stage: Stage, before: Instruction, name: string): string | undefined {
  let byName = envWritesByStage.get(stage);
  if (!byName) envWritesByStage.set(stage, (byName = new Map()));
  let values = byName.get(name);
  if (!values) {
    // One pass over the stage for this name, kept: the value in force before each RUN.
    values = new Map();
    let value = stage.parent ? goEnvAtEnd(stage.parent).get(name) : undefined;
    for (const run of stage.runs) {
      values.set(run.instruction, value);
      for (const [written, text] of goEnvWrites(run)) if (written === name) value = text;
    }
    values.set(stage.from, value);
    byName.set(name, values);
  }
  return values.has(before) ? values.get(before) : values.get(stage.from);
}

/**
 * Where a go command's GOOS or GOARCH comes from, in the go command's order of precedence:
 * inline (`GOARCH=... go build`, `env GOARCH=...`), an `export` earlier in the same RUN, ENV
 * (over ARG of the same name), then `go env -w`.
 */
export function goPlatformSource(
  model: DockerfileModel,
  call: GoCall,
  name: 'GOOS' | 'GOARCH',
): PlatformSource {
  const stage = model.stages[call.stageIndex];
  const run = call.run;
  const { env, args } = scopeBefore(model, stage, run.instruction);
  const assigned = runAssignments(run);
  const local = (n: string): string | undefined => {
    const entries = assigned.byName.get(n);
    let value: string | undefined;
    for (const entry of entries ?? []) {
      if (entry.index >= call.commandIndex) break;
      value = entry.value;
    }
    return value;
  };
  const lookup: Lookup = (n) => {
    const own = local(n);
    if (own !== undefined) return own;
    if (env.has(n)) return env.get(n);
    return args.get(n);
  };
  const command = call.invocation.command;
  const programAt = command.words.findIndex((w) => {
    const p = programName(w);
    return p === 'go' || p === 'xx-go';
  });
  const wrapperWords = command.words.slice(0, Math.max(0, programAt));
  const inline =
    assignmentIn(wrapperWords, name) ??
    [...command.assignments].reverse().find((a) => a.name === name)?.value.text;
  if (inline !== undefined) return classify(inline, lookup);
  const value = lookup(name);
  if (value !== undefined) return value === null ? { kind: 'other' } : classify(value, lookup);
  const written = goEnvWrite(stage, run.instruction, name);
  if (written !== undefined) return classify(written, lookup);
  // `. /env` before it may set the variable (photoview builds this way).
  if (call.invocation.envSourced) return { kind: 'other' };
  return { kind: 'unset' };
}

/** The go command targets `$TARGETPLATFORM` itself: `xx-go`, or `go` after `xx-go --wrap`. */
export function targetsViaXx(model: DockerfileModel, call: GoCall): boolean {
  return (
    call.invocation.viaXx ||
    xxWrapped(model.stages[call.stageIndex], call.run.instruction) ||
    runAssignments(call.run).firstXxWrap < call.commandIndex
  );
}

interface RunAssignments {
  /** Variables the RUN's commands set (`NAME=value` alone, `export NAME=value`), in order. */
  byName: Map<string, { index: number; value: string }[]>;
  /** Index of the first `xx-go --wrap` command, or Infinity. */
  firstXxWrap: number;
}

const assignmentsCache = new KeyedCache<RunInfo, RunAssignments>();

/** What a RUN's commands set up for the commands after them, scanned once per RUN. */
function runAssignments(run: RunInfo): RunAssignments {
  const known = assignmentsCache.get(run);
  if (known) return known;
  const result: RunAssignments = { byName: new Map(), firstXxWrap: Infinity };
  const set = (index: number, name: string, value: string) => {
    const entries = result.byName.get(name);
    if (entries) entries.push({ index, value });
    else result.byName.set(name, [{ index, value }]);
  };
  run.commands.forEach((command, index) => {
    const program = programName(command.words[0]);
    if (command.words.length === 0) {
      for (const a of command.assignments) set(index, a.name, a.value.text);
    } else if (program === 'export') {
      for (const word of command.words.slice(1)) {
        const eq = word.text.indexOf('=');
        if (eq > 0) set(index, word.text.slice(0, eq), word.text.slice(eq + 1));
      }
    } else if (program === 'xx-go' && command.words[1]?.text === '--wrap') {
      result.firstXxWrap = Math.min(result.firstXxWrap, index);
    }
  });
  assignmentsCache.set(run, result);
  return result;
}

/** The range of `go build` (or `xx-go install`, ...) in the document, else the instruction's. */
export function goAndSubcommandRange(model: DockerfileModel, call: GoCall): Range {
  const command = call.invocation.command;
  const at = command.words.findIndex((w) => {
    const p = programName(w);
    return p === 'go' || p === 'xx-go';
  });
  const program = command.words[at];
  const range = program
    ? programRange(model, call.run, call.commandIndex, program.text)
    : undefined;
  if (!range) return call.run.instruction.getInstructionRange();
  const from = model.index.offsetAt(range.end);
  const sub = call.invocation.subcommand;
  const end = model.index.offsetAt(call.run.instruction.getRange().end);
  const subAt = model.text.indexOf(sub, from);
  if (subAt < 0 || subAt >= end || subAt - from > 4) return range;
  return { start: range.start, end: model.index.positionAt(subAt + sub.length) };
}

/**
 * The stages that take a go command's binary from its own stage: those it is copied into (`COPY
 * --from`, directly or through other stages, and the stages built on those), and those whose RUNs
 * mount it (`RUN --mount=from=...`). Stages built on its own stage inherit it and are not counted.
 * A carrier stage (files only, taken by later stages: facts/carriers.ts) is passed through: the
 * stages that take the binary from it are the ones counted.
 */
export function stagesReceiving(model: DockerfileModel, call: GoCall): Stage[] {
  const own = model.stages[call.stageIndex];
  const tree = stageTree(model.stages);
  return model.stages.filter((s) => {
    if (s === own || isCarrier(model, s)) return false;
    const inherits = tree.isBuiltOn(s, own);
    return (
      s.fs
        .goBinaries()
        .some(
          (b) =>
            b.binary.call === call &&
            b.entry.origin === 'copy' &&
            (!inherits || s.instructions.includes(b.entry.instruction)),
        ) || mountedBuilds(model, s).some((m) => m.call === call)
    );
  });
}

/** Whether a stage runs on the build machine's platform (`--platform=$BUILDPLATFORM`). */
export function onBuildPlatform(stage: Stage): boolean {
  const platform = effectivePlatform(stage);
  return platform !== undefined && isBuildPlatformValue(platform.text);
}

/**
 * A go command that builds a tool for the build itself rather than the program the image ships:
 * `go install tool@version`, a binary that a later command runs, one that stays in the stage the
 * image is made of, or one copied or mounted only into other stages on the build platform (a
 * generator or linter run there), carrier stages passed through. Such a build is right to target
 * the machine running the build. A binary copied or mounted into a stage on the target platform
 * is never a tool.
 */
export function buildsHostTool(model: DockerfileModel, call: GoCall): boolean {
  const receivers = stagesReceiving(model, call);
  if (receivers.some((s) => !onBuildPlatform(s))) return false;
  if (receivers.length > 0) return true;
  const invocation = call.invocation;
  if (
    invocation.subcommand === 'install' &&
    invocation.packages.some((p) => p.text.includes('@'))
  ) {
    return true;
  }
  const stage = model.stages[call.stageIndex];
  if (shippedStages(model).some((s) => stageTree(model.stages).isBuiltOn(s.stage, stage))) {
    return true;
  }
  const output = call.output;
  const programs = new Set<string>();
  if (output.kind === 'file') {
    programs.add(output.path);
    programs.add(output.name);
  } else if (output.kind === 'dir') {
    for (const name of output.names ?? []) programs.add(name);
  }
  if (programs.size === 0) return false;
  const later: SimpleCommand[] = [];
  const ownRuns = stage.runs.slice(stage.runs.indexOf(call.run));
  later.push(...call.run.commands.slice(call.commandIndex + 1));
  for (const run of ownRuns.slice(1)) later.push(...run.commands);
  for (const s of descendantStages(model.stages, stage).slice(1))
    for (const run of s.runs) later.push(...run.commands);
  return later.some((command) => {
    const word = command.words[0]?.text;
    return (
      word !== undefined &&
      (programs.has(word) || programs.has(programName(command.words[0]) ?? ''))
    );
  });
}
