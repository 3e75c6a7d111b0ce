/**
 * The text of instructions as the builder sees it: line continuations joined, comment and empty
 * lines inside a continuation dropped (BuildKit does both), exec form told apart from shell form,
 * heredoc bodies separated from the command line.
 */
import { Instruction, type Argument, type Heredoc, type Variable } from 'dockerfile-ast';
import { cacheOf, type LogicalText } from './instruction-cache';
import type { LineIndex } from '../text/line-index';
import type { Range } from '../types';

export type { LogicalText } from './instruction-cache';

// What getVariables asks of the Dockerfile to fill each variable's isDefined(): nothing is
// resolved (see instructionVariables).
const UNRESOLVED = { resolveVariable: (): undefined => undefined };

/** The members of a dockerfile-ast instruction that getVariables reads to resolve names. */
interface Resolving {
  dockerfile: unknown;
  isBuildVariable(name: string, line: number): boolean;
}

/** While set, dockerfile-ast's isBuildVariable answers false without looking (see below). */
let resolving = true;

function skipBuildVariableLookups(): void {
  const prototype = Instruction.prototype as unknown as Resolving & { [SKIPS]?: true };
  if (prototype[SKIPS]) return;
  const own = prototype.isBuildVariable;
  prototype.isBuildVariable = function (this: Resolving, name: string, line: number): boolean {
    return resolving ? own.call(this, name, line) : false;
  };
  Object.defineProperty(prototype, SKIPS, { value: true });
}
const SKIPS = Symbol('isBuildVariable skips');

/**
 * dockerfile-ast's getVariables of an instruction, with the resolution of each name, the costly
 * part, which nothing here reads, left out: the names, ranges, modifiers and fallbacks are
 * dockerfile-ast's own (the LABEL override too), but isDefined() and isBuildVariable() are false
 * on what it returns. The instruction's own `dockerfile` field is swapped for one that resolves
 * nothing while it runs (the same field, so the object keeps its shape; a stand-in object made
 * with Object.create would turn every such instruction into a prototype, with a map of its own,
 * and slow down every later read of instructions).
 */
function unresolvedVariables(instruction: Instruction): Variable[] {
  skipBuildVariableLookups();
  const self = instruction as unknown as Resolving;
  const dockerfile = self.dockerfile;
  self.dockerfile = UNRESOLVED;
  resolving = false;
  try {
    return instruction.getVariables();
  } finally {
    resolving = true;
    self.dockerfile = dockerfile;
  }
}

/**
 * The variables an instruction reads (`$NAME`, `${NAME:-x}`: name, range, modifier, fallback;
 * not whether they are defined), kept per instruction like its arguments. Not worked out when
 * the text has no `$`, nor when it contains none of the strings `mentioning` lists (the caller
 * looks only for variables whose names contain one of them).
 */
export function instructionVariables(
  instruction: Instruction,
  index: LineIndex,
  mentioning?: readonly string[],
): Variable[] {
  const cache = cacheOf(instruction);
  if (cache.variables !== undefined) return cache.variables;
  const text = index.textOf(instruction.getRange());
  let variables: Variable[] = [];
  if (text.includes('$')) {
    if (mentioning && !mentioning.some((part) => text.includes(part))) return [];
    try {
      variables = unresolvedVariables(instruction);
    } catch {
      variables = [];
    }
  }
  cache.variables = variables;
  return variables;
}

/** The instruction's arguments (the caller must not modify the array). */
export function instructionArguments(instruction: Instruction): Argument[] {
  const cache = cacheOf(instruction);
  if (cache.arguments === undefined) {
    try {
      cache.arguments = instruction.getArguments();
    } catch {
      cache.arguments = [];
    }
  }
  return cache.arguments;
}

/**
 * Joins continuation lines of `raw` (the document text from the first argument to the end of the
 * instruction), dropping comment lines and empty lines inside the continuation.
 */
export function joinContinuations(raw: string, escapeChar: string): string {
  if (!raw.includes('\n') && !raw.includes('\r')) {
    const right = raw.trimEnd();
    return right.endsWith(escapeChar) ? right.slice(0, -1) : raw;
  }
  const lines = raw.split(/\r\n|\r|\n/);
  let text = '';
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (i > 0) {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
    }
    const right = line.trimEnd();
    // As BuildKit: the escape character and trailing blanks at the end of a line continue it.
    if (right.endsWith(escapeChar)) {
      line = right.slice(0, -1);
      text += line;
      continue;
    }
    text += line;
    break;
  }
  return text;
}

/** The instruction's arguments after its flags, continuation lines joined. */
export function logicalArguments(
  instruction: Instruction,
  index: LineIndex,
  escapeChar: string,
): LogicalText | undefined {
  const cache = cacheOf(instruction);
  if (cache.logical !== undefined) return cache.logical ?? undefined;
  const args = instructionArguments(instruction);
  let logical: LogicalText | null = null;
  if (args.length > 0) {
    const start = index.offsetAt(args[0].getRange().start);
    const end = index.offsetAt(instruction.getRange().end);
    logical = { text: joinContinuations(index.text.slice(start, end), escapeChar), start, end };
  }
  cache.logical = logical;
  return logical ?? undefined;
}

/**
 * The exec-form argument vector when the arguments are a JSON array of strings (Docker's own
 * test: anything else is shell form).
 */
export function execForm(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      return value as string[];
    }
  } catch {
    return undefined;
  }
  return undefined;
}

export interface HeredocText {
  name: string;
  body: string;
  range: Range;
}

/** The heredocs of a RUN or COPY, with their bodies. */
export function heredocsOf(instruction: Instruction, index: LineIndex): HeredocText[] {
  const withHeredocs = instruction as unknown as { getHeredocs?: () => Heredoc[] };
  if (typeof withHeredocs.getHeredocs !== 'function') return [];
  // Without `<<` in its arguments an instruction has no heredoc; asking dockerfile-ast anyway
  // costs a second pass over the arguments of every RUN and COPY.
  if (!instructionArguments(instruction).some((arg) => arg.getValue().includes('<<'))) return [];
  let heredocs: Heredoc[];
  try {
    heredocs = withHeredocs.getHeredocs();
  } catch {
    return [];
  }
  return heredocs.map((heredoc) => {
    const range = heredoc.getContentRange();
    return {
      name: heredoc.getName(),
      body: range ? index.textOf(range) : '',
      range: range ?? heredoc.getStartRange(),
    };
  });
}

/**
 * Whether a line inserted right after the instruction would become part of it: its last heredoc
 * is never closed (the body runs to the end of the file), or its last line ends with the escape
 * character (a continuation that only comment lines or the end of the file follow).
 */
export function endsOpen(instruction: Instruction, index: LineIndex, escapeChar: string): boolean {
  const heredocs = heredocsOf(instruction, index);
  const lastLine = index.lineText(instruction.getRange().end.line).trim();
  if (heredocs.length > 0) return lastLine !== heredocs[heredocs.length - 1].name;
  // The comment and empty lines a continuation skips are part of the instruction's range.
  const lines = index.textOf(instruction.getRange()).split(/\r\n|\r|\n/);
  let last = lines.length - 1;
  while (last > 0 && (lines[last].trim() === '' || lines[last].trim().startsWith('#'))) last--;
  return lines[last].trimEnd().endsWith(escapeChar);
}

/**
 * For an instruction with heredocs, the command line (the text of its first logical line, where
 * the `<<EOF` markers are); undefined when the instruction has no heredocs.
 */
export function heredocCommandLine(
  instruction: Instruction,
  index: LineIndex,
  escapeChar: string,
  heredocs: HeredocText[],
): string | undefined {
  if (heredocs.length === 0) return undefined;
  const args = instructionArguments(instruction);
  if (args.length === 0) return undefined;
  const start = index.offsetAt(args[0].getRange().start);
  const bodyStart = index.offsetAt(heredocs[0].range.start);
  return joinContinuations(index.text.slice(start, Math.max(start, bodyStart)), escapeChar).trim();
}
