/**
 * The platform ARGs of a build, for the cross-compilation rules: the automatic ARGs' names, the
 * `--platform` a stage runs with (cached per stage chain), and where a stage uses the automatic
 * platform ARGs (`$TARGETARCH`, `$BUILDPLATFORM`, ...) and whether it declares them there
 * (kept per stage). Where a go command's GOOS/GOARCH come from is in go-platform.ts, GOARM
 * from the variant in goarm-variant.ts, the edit that declares ARGs in edits/declare-args.ts.
 */
import type { Instruction, Property } from 'dockerfile-ast';
import { heredocsOf, instructionArguments, instructionVariables } from '../model/instruction-text';
import { commandOffsets } from '../model/command-words';
import {
  argInForce,
  PLATFORM_ARGS,
  runOf,
  type DockerfileModel,
  type RunInfo,
  type Stage,
} from '../model/model';
import { programName, SHELLS } from '../model/shell';
import { chainFact } from './stage-tree';
import { perKey, perStage } from './memo';
import type { Range } from '../types';
import { keywordOf as keyword } from '../model/instruction-view';
export { keyword };

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

/**
 * A platform spelt from its parts' ARGs: `$TARGETOS/$TARGETARCH`, with `/$TARGETVARIANT` or not
 * (each part as `$NAME`, `${NAME}` or with a fallback), for `prefix` TARGET or BUILD.
 */
function namesPlatformParts(text: string, prefix: 'TARGET' | 'BUILD'): boolean {
  const parts = text.trim().split('/');
  if (parts.length !== 2 && parts.length !== 3) return false;
  return parts.every((part, i) => namesPlatformArg(part, prefix + ['OS', 'ARCH', 'VARIANT'][i]));
}

/**
 * A `--platform` value that is the build machine's platform: `$BUILDPLATFORM`, `${BUILDPLATFORM}`,
 * `$BUILDOS/$BUILDARCH`.
 */
export function isBuildPlatformValue(text: string): boolean {
  return namesPlatformArg(text, 'BUILDPLATFORM') || namesPlatformParts(text, 'BUILD');
}

/**
 * A `--platform` value that is the target platform: `$TARGETPLATFORM`, `${TARGETPLATFORM}`,
 * `${TARGETOS}/${TARGETARCH}` (with `/${TARGETVARIANT}` or not).
 */
export function isTargetPlatformValue(text: string): boolean {
  return namesPlatformArg(text, 'TARGETPLATFORM') || namesPlatformParts(text, 'TARGET');
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

/** An ENV instruction's properties (empty when dockerfile-ast cannot read them). */
export function envProperties(instruction: Instruction): Property[] {
  try {
    return (instruction as unknown as { getProperties(): Property[] }).getProperties();
  } catch {
    return [];
  }
}

/**
 * Whether `name` is declared at `offset` of the stage: by an ARG or ENV of this stage before it,
 * or of a stage it is built on (BuildKit gives a stage its parent's ARG values as well as its
 * ENV: see argInForce).
 */
export function declaredAt(
  model: DockerfileModel,
  stage: Stage,
  name: string,
  offset: number,
): boolean {
  if (stage.parent?.envAtEnd.has(name)) return true;
  if (argInForce(model, stage, name, offset)) return true;
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
    const run = runOf(instruction);
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
export function xxWrapped(stage: Stage, before?: Instruction): boolean {
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
export function programRange(
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
export const platformArgUses: (model: DockerfileModel, stage: Stage) => readonly PlatformArgUse[] =
  perStage(stagePlatformArgUses);

/**
 * What the file's text could hold at all (read once per model): a platform ARG's name, an xx
 * helper's. Most files hold neither, and then no stage's instructions need reading.
 */
const mentions = perKey((model: DockerfileModel) => ({
  platformArgs: PLATFORM_ARG_PARTS.some((part) => model.text.includes(part)),
  helpers: model.text.includes('xx-'),
}));

function stagePlatformArgUses(model: DockerfileModel, stage: Stage): PlatformArgUse[] {
  const uses: PlatformArgUse[] = [];
  const { platformArgs, helpers } = mentions(model);
  for (const instruction of platformArgs ? stage.instructions : []) {
    for (const use of explicitUses(model, stage, instruction)) {
      const offset = model.index.offsetAt(use.range.start);
      uses.push({ ...use, declared: declaredAt(model, stage, use.name, offset) });
    }
  }
  for (const use of helpers ? helperUses(model, stage) : []) {
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
