/**
 * The one way the core parses a Dockerfile: dockerfile-ast's parser, with each instruction made
 * once (keepInstructionsMade, below) and its argument scan done once.
 *
 * dockerfile-ast scans an instruction's text for its arguments on every getArguments() call, and
 * its own parse asks four to five times per instruction (the JSON form, the flags, the heredocs,
 * the argument range each ask again): about a quarter of a parse. The scan depends only on the
 * document text, the instruction's range and the escape character, all fixed when the instruction
 * is made, so the first result is kept (instruction-cache.ts) and every later call gets a
 * fresh array of it: callers change the array (ModifiableInstruction.getArguments shifts the
 * flags off it). A FROM's callers also change the ranges (From.getImageNameRange moves the ends
 * of the first argument's range), so a FROM gets fresh arguments too; no other dockerfile-ast
 * code, and none of ours, writes a range. The first scan itself is quickScan's where it can be.
 */
import { Argument, DockerfileParser, From, Instruction, type Dockerfile } from 'dockerfile-ast';
import { Parser } from 'dockerfile-ast/lib/parser';
import { cacheOf } from './instruction-cache';
import type { Position, Range } from '../types';

// The classes read once: the bundle reaches a CommonJS package's exports through getters.
const ArgumentClass = Argument;
const FromClass = From;

function copyOf(argument: Argument): Argument {
  const { start, end } = argument.getRange();
  return new ArgumentClass(argument.getValue(), {
    start: { line: start.line, character: start.character },
    end: { line: end.line, character: end.character },
  });
}

/** The parts of a dockerfile-ast instruction its argument scan reads (not in its typings). */
interface Scannable {
  document: {
    getText(): string;
    offsetAt(position: Position): number;
    positionAt(offset: number): Position;
  };
  escapeChar: string;
  getInstructionRange(): Range;
  getTextContent(): string;
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * The state of quickScan, in a plain object rather than a class: V8 throws away optimized code
 * that saw a class whose objects have all died at the next full garbage collection ("weak
 * objects"), and a scan's state dies with it.
 */
interface ScanState {
  readonly text: string;
  /** The current argument's value is cut from the text in runs: `value`, then the run below. */
  value: string;
  runStart: number;
  runEnd: number;
  /**
   * Positions are asked in increasing order, so lines are counted as the scan goes instead of
   * searched for in the document's line table at each argument's two ends: the text up to
   * `scanned` is counted, and `lineStart` is where `line` starts (negative: before the text).
   */
  scanned: number;
  line: number;
  lineStart: number;
}

function addToValue(state: ScanState, index: number): void {
  if (index === state.runEnd) {
    state.runEnd++;
    return;
  }
  if (state.runStart !== -1) state.value += state.text.substring(state.runStart, state.runEnd);
  state.runStart = index;
  state.runEnd = index + 1;
}

function positionIn(state: ScanState, index: number): Position {
  for (; state.scanned < index; state.scanned++) {
    if (state.text.charCodeAt(state.scanned) === 10) {
      state.line++;
      state.lineStart = state.scanned + 1;
    }
  }
  return { line: state.line, character: index - state.lineStart };
}

/** The argument `from..to`, with the value collected so far, which it takes. */
function argumentOf(state: ScanState, from: number, to: number): Argument {
  const range = { start: positionIn(state, from), end: positionIn(state, to) };
  let value = state.value;
  if (state.runStart !== -1) value += state.text.substring(state.runStart, state.runEnd);
  state.value = '';
  state.runStart = state.runEnd = -1;
  return new ArgumentClass(value, range);
}

/**
 * dockerfile-ast's argument scan, for the instructions whose escape characters all continue a
 * line (the escape character, spaces or tabs, a line break): the same state machine, with the
 * same arguments and ranges, but each value is cut from the text in runs instead of being built
 * one character at a time (dockerfile-ast's way allocates a string per character, a fifth of all
 * the analysis allocates). Undefined, and dockerfile-ast's own scan does it, for anything else:
 * an escaped character (`\$`, `\"`), a carriage return, an escape character in a comment line.
 */
function quickScan(instruction: Instruction): Argument[] | undefined {
  const self = instruction as unknown as Scannable;
  const document = self.document;
  const escape = self.escapeChar;
  const keyword = self.getInstructionRange();
  const extra = document.offsetAt(keyword.end) - document.offsetAt(keyword.start);
  const text = self.getTextContent().substring(extra);
  if (escape.length !== 1 || text.includes('\r')) return undefined;
  const offset = document.offsetAt(keyword.start) + extra;
  const args: Argument[] = [];
  const first = document.positionAt(offset);
  const state: ScanState = {
    text,
    value: '',
    runStart: -1,
    runEnd: -1,
    scanned: 0,
    line: first.line,
    lineStart: -first.character,
  };
  // The names of dockerfile-ast's scan: `start` a line was just continued, `escaping` inside a
  // continuation's leading whitespace, `marker` where the argument broken by it ends.
  let start = false;
  let comment = false;
  let escaping = false;
  let escapedWhitespace = false;
  let found = -1;
  let marker = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isWhitespace(c)) {
      if (escaping) {
        escapedWhitespace = c !== 10;
        if (c === 10 && comment) {
          comment = false;
          start = true;
        }
      } else if (found !== -1) {
        args.push(argumentOf(state, found, marker === -1 ? i : marker));
        marker = found = -1;
      }
    } else if (text[i] === escape) {
      if (comment) return undefined;
      let j = i + 1;
      while (text[j] === ' ' || text[j] === '\t') j++;
      if (text[j] !== '\n') return undefined;
      if (found !== -1 && (j > i + 1 || marker === -1)) marker = i;
      comment = false;
      escaping = start = true;
      i = j;
    } else if (!comment) {
      if (start && c === 35) {
        comment = true;
      } else {
        if (escapedWhitespace && marker !== -1) {
          args.push(argumentOf(state, found, marker));
          found = -1;
        }
        escapedWhitespace = escaping = false;
        marker = -1;
        addToValue(state, i);
        if (found === -1) found = i;
      }
      start = false;
    }
  }
  if (found !== -1) args.push(argumentOf(state, found, marker === -1 ? text.length : marker));
  return args;
}

let scan: ((this: Instruction) => Argument[]) | undefined;

function keepArgumentScans(): void {
  if (scan !== undefined) return;
  const prototype = Instruction.prototype as unknown as { getRawArguments(): Argument[] };
  if (typeof prototype.getRawArguments !== 'function') return;
  const own = (scan = prototype.getRawArguments);
  prototype.getRawArguments = function (this: Instruction): Argument[] {
    const cache = cacheOf(this);
    const args = (cache.scan ??= quickScan(this) ?? own.call(this));
    return this instanceof FromClass ? args.map(copyOf) : args.slice();
  };
}

/** The arguments of dockerfile-ast's Parser#createInstruction (not in its typings). */
type CreateArguments = [
  dockerfile: unknown,
  keyword: string,
  start: number,
  keywordEnd: number,
  end: number,
];

interface MadeInstruction {
  args: CreateArguments;
  made: Instruction;
}

/** The instruction each parser made last (a parser parses one document, then is dropped). */
const lastMade = new WeakMap<object, MadeInstruction>();

type CreateInstruction = (this: object, ...args: CreateArguments) => Instruction;

let create: CreateInstruction | undefined;
/** Off only while the tests parse without the reuse, to compare. */
let reuse = true;

/**
 * dockerfile-ast's parser makes every instruction that has arguments twice: once to look for
 * heredocs that extend it past its line, then again with its real end. Without a heredoc both
 * are made from the same text, keyword and offsets, and the first is thrown away: half of the
 * parse's instruction building (each one scans its arguments and flags, and a JSON instruction
 * its exec form). The second call now gets the first instruction back when the two calls ask for
 * the same thing. The first is only read in between (its keyword and arguments), never changed.
 */
function keepInstructionsMade(): void {
  if (create !== undefined) return;
  const prototype = (Parser as unknown as { prototype: { createInstruction?: CreateInstruction } })
    .prototype;
  const own = prototype.createInstruction;
  if (typeof own !== 'function' || own.length !== 5) return;
  create = own;
  prototype.createInstruction = function (this: object, ...args: CreateArguments): Instruction {
    const last = reuse ? lastMade.get(this) : undefined;
    if (last !== undefined && args.every((value, i) => value === last.args[i])) {
      lastMade.delete(this);
      return last.made;
    }
    const made = own.apply(this, args);
    lastMade.set(this, { args, made });
    return made;
  };
}

/** For the tests: dockerfile-ast's own scan of an instruction, and the plain one. */
export const argumentScans = {
  dockerfileAst(instruction: Instruction): Argument[] {
    keepArgumentScans();
    return scan ? scan.call(instruction) : instruction.getArguments();
  },
  quick: quickScan,
};

/** For the tests: a parse that makes every instruction as often as dockerfile-ast does. */
export function parseMakingEveryInstruction(text: string): Dockerfile {
  keepArgumentScans();
  keepInstructionsMade();
  reuse = false;
  try {
    return DockerfileParser.parse(text);
  } finally {
    reuse = true;
  }
}

/**
 * The one parser, kept: `DockerfileParser.parse` makes a parser per document, which dies with the
 * parse, and V8 throws away the optimized code of a class whose objects have all died at the next
 * full garbage collection ("weak objects"), so a parse after a collection ran dockerfile-ast's
 * parser slowly while it was compiled again. Nothing carries over from one parse to the next:
 * `parse` sets all three of the parser's fields (escape character, document, text) first. It keeps
 * the last text until the next parse, as the model made from it does.
 */
let parser: Parser | undefined;

/** Parses `text` with dockerfile-ast (never throws on malformed input; dockerfile-ast does not). */
export function parseDockerfile(text: string): Dockerfile {
  keepArgumentScans();
  keepInstructionsMade();
  const kept = (parser ??= new Parser());
  try {
    return kept.parse(text);
  } finally {
    lastMade.delete(kept);
  }
}
