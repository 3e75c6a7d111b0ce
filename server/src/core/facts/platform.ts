/**
 * The platform side of a build, for the cross-compilation rules: the `--platform` a stage runs
 * with, where a stage uses the automatic platform ARGs (`$TARGETARCH`, `$BUILDPLATFORM`, ...) and
 * whether it declares them there, where the GOOS/GOARCH a go command builds for come from, and
 * the edit that declares missing ARGs after a stage's FROM.
 */
import type { Instruction, Property } from 'dockerfile-ast';
import { heredocsOf, instructionArguments, instructionVariables } from '../model/instruction-text';
import { commandOffsets, locateCommands } from '../model/command-words';
import { descendantStages } from './go-commands';
import {
  PLATFORM_ARGS,
  type DockerfileModel,
  type GoCall,
  type RunInfo,
  type Stage,
} from '../model/model';
import { programName, SHELLS, type SimpleCommand } from '../model/shell';
import { shippedStages } from './builds';
import { chainFact, stageTree } from './stage-tree';
import { detectEol } from '../text/line-index';
import type { Range, TextEdit } from '../types';

/** Every automatic platform ARG's name contains one of these. */
export const PLATFORM_ARG_PARTS: readonly string[] = ['TARGET', 'BUILD'];

/** Sorts platform ARG names into the order of {@link PLATFORM_ARGS}, dropping duplicates. */
export function sortPlatformArgs(names: Iterable<string>): string[] {
  const set = new Set(names);
  return [...PLATFORM_ARGS].filter((name) => set.has(name));
}

/** An automatic ARG describing the platform being built for (`TARGETARCH`, ...). */
export function isTargetArg(name: string): boolean {
  return PLATFORM_ARGS.has(name) && name.startsWith('TARGET');
}

/** An automatic ARG describing the machine running the build (`BUILDARCH`, ...). */
export function isBuildArg(name: string): boolean {
  return PLATFORM_ARGS.has(name) && name.startsWith('BUILD');
}

const REFERENCE = /\\\$|\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Names referenced as `$NAME` or `${NAME...}` in a text (`\$` escapes skipped), in order. */
export function referencedNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    const name = match[1] ?? match[2];
    if (name !== undefined) names.push(name);
  }
  return names;
}

/** The `--platform` a stage runs with, and the stage whose FROM sets it. */
export interface StagePlatform {
  text: string;
  range: Range;
  stage: Stage;
}

/**
 * The `--platform` of the stage, else of the nearest stage it is built on: `FROM base` runs
 * on the platform `base` was built for.
 */
export const effectivePlatform = chainFact<StagePlatform | undefined>((stage, inherited) =>
  stage.platform ? { text: stage.platform.text, range: stage.platform.range, stage } : inherited,
);

function namesPlatformArg(text: string, name: string): boolean {
  const value = text.trim();
  return (
    value === `$${name}` ||
    value === `\${${name}}` ||
    (value.startsWith(`\${${name}:-`) && value.endsWith('}')) ||
    (value.startsWith(`\${${name}-`) && value.endsWith('}'))
  );
}

/** A `--platform` value that is the build machine's platform (`$BUILDPLATFORM`, `${BUILDPLATFORM}`). */
export function isBuildPlatformValue(text: string): boolean {
  return namesPlatformArg(text, 'BUILDPLATFORM');
}

/** A `--platform` value that is the target platform (`$TARGETPLATFORM`, `${TARGETPLATFORM}`). */
export function isTargetPlatformValue(text: string): boolean {
  return namesPlatformArg(text, 'TARGETPLATFORM');
}

/** A stage label for messages: `stage "build"` or `the stage on line 3`. */
export function stageLabel(stage: Stage): string {
  return stage.name !== undefined
    ? `stage "${stage.name}"`
    : `the stage on line ${stage.from.getRange().start.line + 1}`;
}

// ---------------------------------------------------------------------------------------------
// Where a stage uses the automatic platform ARGs

/** A use of an automatic platform ARG inside a stage. */
export interface PlatformArgUse {
  name: string;
  instruction: Instruction;
  /** The whole reference (`$TARGETARCH`, `${TARGETARCH:-amd64}`), or the helper's name. */
  range: Range;
  /** The fallback of `${NAME:-word}`, when there is one. */
  fallback?: string;
  /**
   * For a tonistiigi/xx helper (`xx-go`, `xx-apk`, ...): its name. The helpers read the target
   * from `$TARGETPLATFORM` (or `$TARGETARCH`) in the environment, and fall back to the machine
   * running the build when neither is set.
   */
  helper?: string;
  /** Declared (ARG, or ENV here or in a parent stage) before the use. */
  declared: boolean;
}

interface Span {
  start: number;
  end: number;
}

/**
 * Spans of a text where `$` is not expanded: single-quoted strings (except the script of
 * `sh -c '...'`, which the inner shell expands) and, for shell text, comment lines.
 */
function unexpandedSpans(text: string, base: number, shell: boolean): Span[] {
  const spans: Span[] = [];
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      lineStart = true;
      continue;
    }
    if (lineStart && (c === ' ' || c === '\t')) continue;
    if (shell && lineStart && c === '#') {
      let end = i;
      while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
      spans.push({ start: base + i, end: base + end });
      i = end - 1;
      continue;
    }
    lineStart = false;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') {
      // Double quotes expand `$`; only skip over them so a `'` inside is not taken as a quote.
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const end = close < 0 ? text.length : close;
      const script = shell && /(?:^|\s)-[A-Za-z]*c\s+$/.test(text.slice(Math.max(0, i - 16), i));
      if (!script) spans.push({ start: base + i, end: base + end });
      i = end;
    }
  }
  return spans;
}

function inSpans(spans: readonly Span[], offset: number): boolean {
  return spans.some((s) => offset >= s.start && offset < s.end);
}

/**
 * Names a RUN assigns itself: `TARGETARCH=...` alone, `export`, a `for` loop variable, `read`.
 */
function assignedInRun(run: RunInfo): Set<string> {
  const names = new Set<string>();
  for (const command of run.commands) {
    if (command.words.length === 0) for (const a of command.assignments) names.add(a.name);
    const program = programName(command.words[0]);
    if (program === 'export' || program === 'read' || program === 'local') {
      for (const word of command.words.slice(1)) names.add(word.text.split('=')[0]);
    }
    if (command.words[0]?.text === 'for' && command.words[1]) names.add(command.words[1].text);
  }
  return names;
}

function envProperties(instruction: Instruction): Property[] {
  try {
    return (instruction as unknown as { getProperties(): Property[] }).getProperties();
  } catch {
    return [];
  }
}

function keyword(instruction: Instruction): string {
  return instruction.getKeyword().toUpperCase();
}

/**
 * Whether `name` is declared at `offset` of the stage: by an ARG of this stage before it, or by
 * an ENV of this stage before it or of a stage it is built on (ENV is inherited, ARG is not).
 */
export function declaredAt(
  model: DockerfileModel,
  stage: Stage,
  name: string,
  offset: number,
): boolean {
  if (stage.parent?.envAtEnd.has(name)) return true;
  if (stage.args.some((a) => a.name === name && model.index.offsetAt(a.range.end) <= offset)) {
    return true;
  }
  return stage.instructions.some(
    (instruction) =>
      keyword(instruction) === 'ENV' &&
      model.index.offsetAt(instruction.getRange().end) <= offset &&
      envProperties(instruction).some((p) => p.getName() === name),
  );
}

/** The leading identifier of a dockerfile-ast variable name (`TARGETARCH/amd64/x64` → `TARGETARCH`). */
function leadingName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*/.exec(name)?.[0] ?? '';
}

/** The name a dockerfile-ast variable refers to (`${TARGETARCH/amd64/x64}` → `TARGETARCH`). */
export function variableName(variable: { getName(): string }): string {
  return leadingName(variable.getName());
}

function explicitUses(model: DockerfileModel, stage: Stage, instruction: Instruction) {
  const kind = keyword(instruction);
  if (kind !== 'RUN' && kind !== 'ENV' && kind !== 'ARG') return [];
  const index = model.index;
  const variables = instructionVariables(instruction, index, PLATFORM_ARG_PARTS).filter((v) =>
    PLATFORM_ARGS.has(leadingName(v.getName())),
  );
  // Most instructions read no platform ARG: nothing to place in quotes, heredocs or flags.
  if (variables.length === 0) return [];
  const start = index.offsetAt(instruction.getRange().start);
  const end = index.offsetAt(instruction.getRange().end);
  let spans: Span[];
  let skipAll = false;
  let assigned = new Set<string>();
  const heredocBodies: Span[] = [];
  let bodiesExpand = true;
  let argsStart = start;
  if (kind === 'RUN') {
    const run = stage.runs.find((r) => r.instruction === instruction);
    if (!run) return [];
    assigned = assignedInRun(run);
    const args = instructionArguments(instruction);
    argsStart = args.length > 0 ? index.offsetAt(args[0].getRange().start) : end;
    // Exec form runs no shell: `$NAME` reaches the program as written, unless it is `sh -c`.
    skipAll =
      run.exec &&
      !(
        SHELLS.has(programName(run.commands[0]?.words[0]) ?? '') &&
        run.commands[0].words.some((w) => /^-[A-Za-z]*c$/.test(w.text))
      );
    for (const heredoc of heredocsOf(instruction, index)) {
      heredocBodies.push({
        start: index.offsetAt(heredoc.range.start),
        end: index.offsetAt(heredoc.range.end),
      });
      // A heredoc fed to a shell is a script; one fed to another program (python) is not.
      if (run.script !== heredoc.body) bodiesExpand = false;
    }
    spans = unexpandedSpans(model.text.slice(start, end), start, true);
  } else {
    spans = unexpandedSpans(model.text.slice(start, end), start, false);
  }
  const uses: Omit<PlatformArgUse, 'declared'>[] = [];
  for (const variable of variables) {
    const name = leadingName(variable.getName());
    const range = variable.getRange();
    const offset = index.offsetAt(range.start);
    const inFlag = offset < argsStart;
    if (!inFlag) {
      if (skipAll || assigned.has(name) || inSpans(spans, offset)) continue;
      if (!bodiesExpand && inSpans(heredocBodies, offset)) continue;
    }
    // `ARG TARGETARCH=${TARGETARCH:-amd64}` is target-arg-with-default's finding.
    if (
      kind === 'ARG' &&
      stage.args.some(
        (a) =>
          a.instruction === instruction &&
          a.name === name &&
          index.offsetAt(a.range.start) <= offset &&
          offset < index.offsetAt(a.range.end),
      )
    ) {
      continue;
    }
    const modifier = variable.getModifier();
    const parameter = variable.getSubstitutionParameter();
    uses.push({
      name,
      instruction,
      range,
      fallback: modifier === '-' && parameter !== null ? parameter : undefined,
    });
  }
  return uses;
}

/** Whether a stage or a stage it is built on ran `xx-go --wrap` before `before` (if given). */
function xxWrapped(stage: Stage, before?: Instruction): boolean {
  const wraps = xxWraps(stage);
  if (wraps.byParent) return true;
  if (wraps.firstLine === undefined) return false;
  return before === undefined || wraps.firstLine < before.getRange().start.line;
}

function wrapsGo(run: RunInfo): boolean {
  return run.commands.some(
    (c) => programName(c.words[0]) === 'xx-go' && c.words[1]?.text === '--wrap',
  );
}

/** Whether a parent stage wraps go with xx, and the line of this stage's first RUN that does. */
const xxWraps = chainFact<{ byParent: boolean; firstLine?: number; any: boolean }>(
  (stage, inherited) => {
    const first = stage.runs.find(wrapsGo);
    return {
      byParent: inherited?.any ?? false,
      firstLine: first?.instruction.getRange().start.line,
      any: first !== undefined || (inherited?.any ?? false),
    };
  },
);

/** The range of a command's program word in the document, when it can be found. */
function programRange(
  model: DockerfileModel,
  run: RunInfo,
  commandIndex: number,
  program: string,
): Range | undefined {
  const offset = commandOffsets(model, run)[commandIndex];
  if (offset === undefined) return undefined;
  const end = model.index.offsetAt(run.instruction.getRange().end);
  const at = model.text.indexOf(program, offset);
  if (at < 0 || at >= end) return undefined;
  return model.index.rangeOf(at, at + program.length);
}

function helperUses(model: DockerfileModel, stage: Stage): Omit<PlatformArgUse, 'declared'>[] {
  const uses: Omit<PlatformArgUse, 'declared'>[] = [];
  // Wrapped by a parent stage or an earlier RUN (then for every RUN after it).
  let wrapped = xxWraps(stage).byParent;
  for (const run of stage.runs) {
    run.commands.forEach((command, i) => {
      const word = command.words[0];
      const name = programName(word);
      if (!word || !name) return;
      if (name === 'xx-go' && command.words[1]?.text === '--wrap') {
        // Installing the wrapper reads nothing; the go commands it wraps do.
        wrapped = true;
        return;
      }
      const helper = name.startsWith('xx-');
      const wrappedGo =
        wrapped &&
        name === 'go' &&
        (command.words[1]?.text === 'build' || command.words[1]?.text === 'install');
      if (!helper && !wrappedGo) return;
      const range = programRange(model, run, i, word.text) ?? run.instruction.getInstructionRange();
      uses.push({ name: 'TARGETPLATFORM', instruction: run.instruction, range, helper: name });
    });
  }
  return uses;
}

/**
 * Uses of the automatic platform ARGs in a stage where the stage's own scope must declare them:
 * RUN (the shell expands them from the environment, which holds the stage's ARGs), ENV and ARG
 * defaults (the Dockerfile expands them with the stage's scope), and the tonistiigi/xx helpers
 * that read `$TARGETPLATFORM` from the environment. FROM lines use the global scope and are not
 * part of a stage; CMD and ENTRYPOINT run with the image's environment, where ARGs never are.
 */
export function platformArgUses(model: DockerfileModel, stage: Stage): PlatformArgUse[] {
  const uses: PlatformArgUse[] = [];
  for (const instruction of stage.instructions) {
    for (const use of explicitUses(model, stage, instruction)) {
      const offset = model.index.offsetAt(use.range.start);
      uses.push({ ...use, declared: declaredAt(model, stage, use.name, offset) });
    }
  }
  for (const use of helperUses(model, stage)) {
    const offset = model.index.offsetAt(use.instruction.getRange().start);
    const declared = ['TARGETPLATFORM', 'TARGETARCH', 'TARGETPAIR'].some((name) =>
      declaredAt(model, stage, name, offset),
    );
    uses.push({ ...use, declared });
  }
  return uses.sort(
    (a, b) => model.index.offsetAt(a.range.start) - model.index.offsetAt(b.range.start),
  );
}

// ---------------------------------------------------------------------------------------------
// GOARM set from the platform variant

/** The automatic ARGs that hold a platform's variant: `v7` on linux/arm/v7, empty on amd64. */
export const VARIANT_ARGS: ReadonlySet<string> = new Set(['TARGETVARIANT', 'BUILDVARIANT']);

/** `GOARM=$TARGETVARIANT` (or `${BUILDVARIANT}`, ...): the variant passed to GOARM as it is. */
export interface GoarmVariantUse {
  /** TARGETVARIANT or BUILDVARIANT. */
  name: string;
  instruction: Instruction;
  /** The reference (`$TARGETVARIANT`, `${TARGETVARIANT:-7}`). */
  range: Range;
  declared: boolean;
  /** Expanded by the shell (RUN) rather than by the Dockerfile (ENV, ARG). */
  shell: boolean;
  /** `$NAME` or `${NAME}`, without a fallback: `${NAME#v}` replaces it exactly. */
  bare: boolean;
}

/**
 * Where a stage sets GOARM from a variant ARG as it is, in ENV, ARG, an inline assignment, `env`,
 * `export` or `go env -w`: the whole value is the reference (`GOARM=${TARGETVARIANT}`,
 * `"GOARM=$TARGETVARIANT"`). BuildKit's variants carry a `v` (`v7`) that Go's GOARM does not
 * accept; a reference that strips it (`${TARGETVARIANT#v}`) or is part of a longer value is not
 * listed.
 */
export function goarmVariantUses(model: DockerfileModel, stage: Stage): GoarmVariantUse[] {
  const result: GoarmVariantUse[] = [];
  for (const use of platformArgUses(model, stage)) {
    if (use.helper !== undefined || !VARIANT_ARGS.has(use.name)) continue;
    const text = model.index.textOf(use.range);
    const bare = text === `$${use.name}` || text === `\${${use.name}}`;
    const fallback = text.startsWith(`\${${use.name}:-`) || text.startsWith(`\${${use.name}-`);
    if (!bare && !(fallback && text.endsWith('}'))) continue;
    const start = model.index.offsetAt(use.range.start);
    const end = model.index.offsetAt(use.range.end);
    const before = /(?<![\w$])GOARM=(["']?)$/.exec(
      model.text.slice(Math.max(0, start - 32), start),
    );
    if (!before) continue;
    const next = model.text[end];
    const closed =
      before[1] !== '' ? next === before[1] : next === undefined || /[\s;&|)"'\\`]/.test(next);
    if (!closed) continue;
    const shell = keyword(use.instruction) === 'RUN';
    if (shell ? !reachesGoInRun(model, stage, use, start) : rederivedLater(model, stage, use))
      continue;
    result.push({
      name: use.name,
      instruction: use.instruction,
      range: use.range,
      declared: use.declared,
      shell,
      bare,
    });
  }
  return result;
}

const PROGRAMS_OF_GO = new Set(['go', 'xx-go']);

function runsGo(command: SimpleCommand): boolean {
  return command.words.some((w) => PROGRAMS_OF_GO.has(programName(w) ?? ''));
}

/**
 * In a RUN, whether the GOARM assignment at `offset` reaches a go command: it prefixes one
 * (`GOARM=... go build`, `env GOARM=... go build`, `go env -w GOARM=...`), or it is an `export`
 * or a plain assignment that a later go command of the RUN runs under. An assignment to `make` or
 * a script is left alone: the build tool may set GOARM itself.
 */
function reachesGoInRun(
  model: DockerfileModel,
  stage: Stage,
  use: PlatformArgUse,
  offset: number,
): boolean {
  const run = stage.runs.find((r) => r.instruction === use.instruction);
  if (!run) return false;
  const located = locateCommands(model, run);
  const at = located.findIndex((c) => c?.words.some((w) => w.start <= offset && offset < w.end));
  const command = run.commands[at];
  if (!command) return false;
  if (runsGo(command)) return true;
  const program = programName(command.words[0]);
  if (program !== undefined && program !== 'export') return false;
  return run.commands.slice(at + 1).some(runsGo);
}

/**
 * For ENV and ARG: a later RUN of the stage (or a stage built on it) that sets GOARM again from
 * its own value (`export GOARM=$(echo "$GOARM" | cut -c2-)`, `GOARM=${GOARM#v}`): the `v` is
 * dealt with there.
 */
function rederivedLater(model: DockerfileModel, stage: Stage, use: PlatformArgUse): boolean {
  const after = model.index.offsetAt(use.instruction.getRange().end);
  return descendantStages(model.stages, stage).some((s) =>
    s.runs.some((run) => {
      const range = run.instruction.getRange();
      if (s === stage && model.index.offsetAt(range.start) < after) return false;
      return setsGoarmFromItself(model.index.textOf(range));
    }),
  );
}

/** Whether a text assigns GOARM a value that reads `$GOARM` (up to the end of the command). */
function setsGoarmFromItself(text: string): boolean {
  // Command by command (a line, or what `;`, `&`, `|` separate): a `GOARM=` before the last
  // `$GOARM` of the command. One pass, whatever the text holds.
  return text.split(/[\n;&|]/).some((command) => {
    const reference = Math.max(command.lastIndexOf('$GOARM'), command.lastIndexOf('${GOARM'));
    if (reference < 0) return false;
    for (let at = command.indexOf('GOARM='); at >= 0 && at < reference;) {
      if (at === 0 || !/[\w$]/.test(command[at - 1])) return true;
      at = command.indexOf('GOARM=', at + 1);
    }
    return false;
  });
}

/** The edit that strips the `v`: `$TARGETVARIANT` → `${TARGETVARIANT#v}`. */
export function stripVariantEdit(use: GoarmVariantUse): TextEdit {
  return { range: use.range, newText: `\${${use.name}#v}` };
}

/** Whether any instruction of the file mentions one of the automatic platform ARGs. */
export function usesPlatformArgs(
  model: DockerfileModel,
  names: (name: string) => boolean,
): boolean {
  for (const instruction of model.instructions) {
    if (keyword(instruction) === 'ARG') {
      for (const arg of instructionArguments(instruction)) {
        if (names(arg.getValue().split('=')[0])) return true;
      }
    }
    const variables = instructionVariables(instruction, model.index, PLATFORM_ARG_PARTS);
    if (variables.some((v) => names(leadingName(v.getName())))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Declaring ARGs

/** Whether the file writes its instructions in lowercase (judged by the stage's FROM). */
function lowercaseKeywords(model: DockerfileModel, stage: Stage): boolean {
  const written = model.index.textOf(stage.from.getInstructionRange());
  return written === written.toLowerCase();
}

/**
 * An edit that declares ARGs on a new line right after the stage's FROM (continuation lines
 * included), in the casing of the FROM keyword and with the file's line ends.
 */
export function declareArgsEdit(model: DockerfileModel, stage: Stage, names: string[]): TextEdit {
  const index = model.index;
  const keywordText = lowercaseKeywords(model, stage) ? 'arg' : 'ARG';
  const eol = detectEol(model.text);
  const fromStart = stage.from.getRange().start;
  const indent = index.lineText(fromStart.line).slice(0, fromStart.character);
  const line = `${indent}${keywordText} ${names.join(' ')}`;
  const endLine = stage.from.getRange().end.line;
  if (endLine + 1 < index.lineCount) {
    const position = { line: endLine + 1, character: 0 };
    return { range: { start: position, end: position }, newText: line + eol };
  }
  const position = index.positionAt(model.text.length);
  return { range: { start: position, end: position }, newText: eol + line };
}

/** Joins insertions at the same place into one edit (in list order), so none is dropped. */
export function mergeInsertions(model: DockerfileModel, edits: TextEdit[]): TextEdit[] {
  const result: TextEdit[] = [];
  for (const edit of edits) {
    const at = model.index.offsetAt(edit.range.start);
    const empty = at === model.index.offsetAt(edit.range.end);
    const same = result.find(
      (e) =>
        empty &&
        model.index.offsetAt(e.range.start) === at &&
        model.index.offsetAt(e.range.end) === at,
    );
    if (same) same.newText += edit.newText;
    else result.push({ range: edit.range, newText: edit.newText });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Where GOOS and GOARCH come from

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

function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.endsWith(text[0])) {
    return text.slice(1, -1);
  }
  return text;
}

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

/** ENV (inherited) and this stage's ARG values as written, in force before an instruction. */
interface PlatformScope {
  env: Map<string, string>;
  args: Map<string, string | null>;
}

const scopesByStage = new WeakMap<
  Stage,
  { before: Map<Instruction, PlatformScope>; end: PlatformScope }
>();

/**
 * ENV values as written at the end of a stage, its parents' included: shared with the parent
 * when the stage sets none, so a long chain of stages holds one map, not one per stage.
 */
function envWrittenAtEnd(model: DockerfileModel): (stage: Stage) => Map<string, string> {
  let fact = envFacts.get(model);
  if (!fact) {
    fact = chainFact<Map<string, string>>((stage, inherited) => {
      let env = inherited ?? new Map<string, string>();
      for (const instruction of stage.instructions) {
        if (keyword(instruction) !== 'ENV') continue;
        const properties = envProperties(instruction);
        if (properties.length === 0) continue;
        env = new Map(env);
        for (const property of properties) {
          const range = property.getValueRange();
          env.set(property.getName(), range ? model.index.textOf(range) : '');
        }
      }
      return env;
    });
    envFacts.set(model, fact);
  }
  return fact;
}

const envFacts = new WeakMap<DockerfileModel, (stage: Stage) => Map<string, string>>();

// Computed for the whole stage in one pass and kept (rules ask for every go command): the maps
// are shared between instructions and copied only where an ENV or ARG changes them.
function scopeBefore(model: DockerfileModel, stage: Stage, before: Instruction): PlatformScope {
  let scopes = scopesByStage.get(stage);
  if (!scopes) {
    const inherited = stage.parent ? envWrittenAtEnd(model)(stage.parent) : new Map();
    let current: PlatformScope = { env: inherited, args: new Map() };
    const beforeMap = new Map<Instruction, PlatformScope>();
    for (const instruction of stage.instructions) {
      beforeMap.set(instruction, current);
      const kind = keyword(instruction);
      if (kind === 'ENV') {
        const properties = envProperties(instruction);
        if (properties.length === 0) continue;
        current = { env: new Map(current.env), args: current.args };
        for (const property of properties) {
          const range = property.getValueRange();
          current.env.set(property.getName(), range ? model.index.textOf(range) : '');
        }
      } else if (kind === 'ARG') {
        const declared = stage.args.filter((a) => a.instruction === instruction);
        if (declared.length === 0) continue;
        current = { env: current.env, args: new Map(current.args) };
        for (const arg of declared) {
          const text = model.index.textOf(arg.range);
          const eq = text.indexOf('=');
          current.args.set(
            arg.name,
            eq < 0 ? (PLATFORM_ARGS.has(arg.name) ? `$${arg.name}` : null) : text.slice(eq + 1),
          );
        }
      }
    }
    scopes = { before: beforeMap, end: current };
    scopesByStage.set(stage, scopes);
  }
  return scopes.before.get(before) ?? scopes.end;
}

function assignmentIn(words: SimpleCommand['words'], name: string): string | undefined {
  let value: string | undefined;
  for (const word of words) {
    if (word.text.startsWith(name + '=')) value = word.text.slice(name.length + 1);
  }
  return value;
}

const envWritesByStage = new WeakMap<Stage, Map<string, Map<Instruction, string | undefined>>>();

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

const assignmentsCache = new WeakMap<RunInfo, RunAssignments>();

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
export function goCommandRange(model: DockerfileModel, call: GoCall): Range {
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

/** Stages other than its own that a go command's binary is copied into (`COPY --from`). */
export function stagesReceiving(model: DockerfileModel, call: GoCall): Stage[] {
  return model.stages.filter(
    (s) =>
      s.index !== call.stageIndex &&
      s.fs
        .goBinaries()
        .some(
          (b) =>
            b.binary.call === call &&
            b.entry.origin === 'copy' &&
            s.instructions.includes(b.entry.instruction),
        ),
  );
}

/** Whether a stage runs on the build machine's platform (`--platform=$BUILDPLATFORM`). */
export function onBuildPlatform(stage: Stage): boolean {
  const platform = effectivePlatform(stage);
  return platform !== undefined && isBuildPlatformValue(platform.text);
}

/**
 * A go command that builds a tool for the build itself rather than the program the image ships:
 * `go install tool@version`, a binary that a later command runs, one that stays in the stage the
 * image is made of, or one copied only into other stages on the build platform (a generator run
 * there). Such a build is right to target the machine running the build. A binary copied into a
 * stage on the target platform is never a tool.
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
