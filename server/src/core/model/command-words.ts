/**
 * Where each word of a RUN's simple command sits in the document, so fixes can insert a flag
 * after `go build`, remove `-a` or rewrite `go get` precisely. The shell tokenizer (shell.ts)
 * gives the words without positions; here the instruction's text is scanned again, with its
 * quoting, Dockerfile line continuations and the quotes of an enclosing `sh -c "..."`, and the
 * result is checked word by word against the tokenizer's. When they disagree there is no
 * location, and rules offer no fix rather than edit the wrong text.
 */
import { heredocsOf, instructionArguments } from './instruction-text';
import type { DockerfileModel, RunInfo } from './types';
import { SUBSTITUTION_MARK, shellCommandScript, type SimpleCommand } from './shell';
import { closingBackquoteAt, closingParenAt } from './shell-tokenize';
import type { Range } from '../types';
import { KeyedCache } from '../keyed-cache';

/** A word of a command as written: its document offsets include its quotes. */
export interface LocatedWord {
  /** The word after quote removal, variables written `${NAME}` (as the tokenizer gives it). */
  text: string;
  start: number;
  end: number;
}

/** A simple command of a RUN located in the document. */
export interface LocatedCommand {
  /** The command's leading `NAME=value` assignments, then its words, in order. */
  words: LocatedWord[];
  /** Index in `words` of the first word after the assignments. */
  firstWord: number;
  /** Exec form: every word is a JSON string. */
  exec: boolean;
  /** The quote of an enclosing `sh -c "..."` script; inserted text must not use it unescaped. */
  enclosingQuote?: '"' | "'";
}

const EOL = /\r\n|\n|\r/y;

/**
 * Offset just past a line continuation starting at `i` (the continuation character, blanks,
 * the line end, then the empty and comment lines BuildKit drops inside a continuation), or
 * undefined when there is none at `i`.
 */
function continuationEnd(
  text: string,
  i: number,
  end: number,
  escape: string,
  dropsCommentLines: boolean,
): number | undefined {
  if (text[i] !== escape) return undefined;
  let j = i + 1;
  while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
  EOL.lastIndex = j;
  const m = EOL.exec(text);
  if (!m) return undefined;
  j += m[0].length;
  if (!dropsCommentLines) return j;
  for (;;) {
    let k = j;
    while (k < end && (text[k] === ' ' || text[k] === '\t')) k++;
    const blank = k >= end || text[k] === '\n' || text[k] === '\r';
    if (!blank && text[k] !== '#') return j;
    if (k >= end) return k;
    while (k < end && text[k] !== '\n' && text[k] !== '\r') k++;
    EOL.lastIndex = k;
    const n = EOL.exec(text);
    if (!n) return k;
    j = k + n[0].length;
  }
}

/**
 * The characters of the text from `start`, after the Dockerfile's line continuations and the
 * escapes of the enclosing quote; stops where the enclosing quote closes. Decoded on demand
 * (charAt), so reading one command costs its own length, not the rest of the RUN's. Each decoded
 * character keeps the offsets it was written at (an escaped `\"` spans two), in arrays beside it.
 *
 * A plain object and functions rather than a class: one lives for one located command, and V8
 * throws away optimized code that saw a class whose objects have all died at the next full
 * garbage collection ("weak objects"), then compiles it again. (The same holds for QuoteState
 * below, and for parse.ts's argument scan.)
 */
interface Chars {
  readonly text: string;
  readonly end: number;
  readonly escape: string;
  readonly dropsCommentLines: boolean;
  readonly enclosing: '"' | "'" | undefined;
  /** The next offset to decode, and whether the end (or the closing quote) was reached. */
  i: number;
  done: boolean;
  readonly cs: string[];
  /** The document offsets where each decoded character starts, and just past its end. */
  readonly starts: number[];
  readonly ends: number[];
}

function decodeChars(
  text: string,
  start: number,
  end: number,
  escape: string,
  dropsCommentLines: boolean,
  enclosing: '"' | "'" | undefined,
): Chars {
  return {
    text,
    end,
    escape,
    dropsCommentLines,
    enclosing,
    i: start,
    done: false,
    cs: [],
    starts: [],
    ends: [],
  };
}

function pushChar(chars: Chars, c: string, start: number, end: number): void {
  chars.cs.push(c);
  chars.starts.push(start);
  chars.ends.push(end);
}

function decodeOne(chars: Chars): void {
  const { text, end, enclosing } = chars;
  while (chars.i < end) {
    const after = continuationEnd(text, chars.i, end, chars.escape, chars.dropsCommentLines);
    if (after === undefined) break;
    chars.i = after;
  }
  const i = chars.i;
  if (i >= end) {
    chars.done = true;
    return;
  }
  const c = text[i];
  if ((enclosing === "'" && c === "'") || (enclosing === '"' && c === '"')) {
    chars.done = true;
    return;
  }
  if (enclosing === '"' && c === '\\' && i + 1 < end && '"\\$`'.includes(text[i + 1])) {
    pushChar(chars, text[i + 1], i, i + 2);
    chars.i += 2;
    return;
  }
  pushChar(chars, c, i, i + 1);
  chars.i++;
}

/** The character at a position, or undefined past the end. */
function charAt(chars: Chars, index: number): string | undefined {
  while (chars.cs.length <= index && !chars.done) decodeOne(chars);
  return chars.cs[index];
}

const OPERATORS = new Set([';', '&', '|', '(', ')']);

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** A character that ends an unquoted word. */
function isEnd(c: string): boolean {
  return (
    c === ' ' ||
    c === '\t' ||
    c === '\n' ||
    c === '\r' ||
    OPERATORS.has(c) ||
    c === '<' ||
    c === '>'
  );
}
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Reads the shell words of one simple command from decoded characters. */
function readWords(chars: Chars): LocatedWord[] | undefined {
  const words: LocatedWord[] = [];
  let i = 0;
  for (;;) {
    while (isBlank(charAt(chars, i))) i++;
    const c = charAt(chars, i);
    if (c === undefined) break;
    if (c === '\n' || c === '\r' || c === '#') break;
    if (c === '>' || c === '<' || (c === '&' && charAt(chars, i + 1) === '>')) {
      // A redirection: `2>&1` puts its descriptor digit in front; neither is a word.
      const last = words[words.length - 1];
      if (last && /^\d$/.test(last.text) && last.end === chars.starts[i]) words.pop();
      while ('<>&'.includes(charAt(chars, i) ?? 'x')) i++;
      while (isBlank(charAt(chars, i))) i++;
      const target = readWord(chars, i);
      if (!target) return undefined;
      i = target.next;
      continue;
    }
    if (OPERATORS.has(c)) break;
    const word = readWord(chars, i);
    if (!word) return undefined;
    words.push(word.word);
    i = word.next;
  }
  return words;
}

function readWord(chars: Chars, from: number): { word: LocatedWord; next: number } | undefined {
  let i = from;
  let text = '';
  let quote: string | undefined;
  for (let c = charAt(chars, i); c !== undefined; c = charAt(chars, i)) {
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else text += c;
      i++;
      continue;
    }
    if (quote === undefined && isEnd(c)) break;
    if (c === '\\') {
      const next = charAt(chars, i + 1);
      if (next === undefined) return undefined;
      // Inside double quotes a backslash escapes only `$`, `` ` ``, `"` and `\`.
      if (quote === '"' && !'$`"\\'.includes(next)) text += c;
      text += next === '$' ? '\\$' : next;
      i += 2;
      continue;
    }
    if (quote === '"' && c === '"') {
      quote = undefined;
      i++;
      continue;
    }
    if (quote === undefined && (c === '"' || c === "'")) {
      quote = c;
      i++;
      continue;
    }
    if ((c === '$' && charAt(chars, i + 1) === '(') || c === '`') {
      // A command substitution, in quotes or not: the tokenizer's mark stands for it.
      const close =
        c === '`'
          ? closingBackquoteAt((k) => charAt(chars, k), i + 1)
          : closingParenAt((k) => charAt(chars, k), i + 1);
      if (close < 0) return undefined;
      text += SUBSTITUTION_MARK;
      i = close + 1;
      continue;
    }
    if (c === '$') {
      // Variables are normalised to `${NAME}`, as the tokenizer writes them.
      let rest = '';
      for (let k = i + 1; k < i + 65; k++) {
        const next = charAt(chars, k);
        if (next === undefined) break;
        rest += next;
      }
      const name = VARIABLE.exec(rest);
      if (name) {
        text += '${' + name[0] + '}';
        i += 1 + name[0].length;
        continue;
      }
    }
    text += c;
    i++;
  }
  const first = charAt(chars, from);
  const last = charAt(chars, i - 1);
  if (quote !== undefined || i === from || first === undefined || last === undefined) {
    return undefined;
  }
  return { word: { text, start: chars.starts[from], end: chars.ends[i - 1] }, next: i };
}

/**
 * The quote in force while a script is scanned forward (quoteAt), so that finding the enclosing
 * quote of each command costs only the text between it and the previous one.
 */
interface QuoteState {
  readonly text: string;
  readonly escape: string;
  readonly dropsCommentLines: boolean;
  i: number;
  quote: '"' | "'" | undefined;
}

/** The quote in force at `offset` (which must not be before the previous offset asked). */
function quoteAt(state: QuoteState, offset: number): '"' | "'" | undefined {
  const { text } = state;
  while (state.i < offset) {
    const after = continuationEnd(text, state.i, offset, state.escape, state.dropsCommentLines);
    if (after !== undefined) {
      state.i = after;
      continue;
    }
    const c = text[state.i];
    if (state.quote === "'") {
      if (c === "'") state.quote = undefined;
    } else if (c === '\\') {
      state.i++;
    } else if (state.quote === '"') {
      if (c === '"') state.quote = undefined;
    } else if (c === '"' || c === "'") {
      state.quote = c;
    }
    state.i++;
  }
  return state.quote;
}

/**
 * The JSON strings of an exec-form instruction between two offsets, with their offsets (quotes
 * included); undefined when one is not valid JSON.
 */
export function jsonStrings(text: string, start: number, end: number): LocatedWord[] | undefined {
  const words: LocatedWord[] = [];
  let i = start;
  while (i < end) {
    if (text[i] === '"') {
      const s = i;
      i++;
      while (i < end && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      try {
        words.push({ text: JSON.parse(text.slice(s, i + 1)) as string, start: s, end: i + 1 });
      } catch {
        return undefined;
      }
    }
    i++;
  }
  return words;
}

const BOUNDARY_BEFORE = new Set([
  ' ',
  '\t',
  '\n',
  '\r',
  ';',
  '&',
  '|',
  '(',
  '!',
  '{',
  '"',
  "'",
  '`',
]);

/** The words a command must have once located: assignments, then words. */
function expectedWords(command: SimpleCommand): string[] {
  return [
    ...command.assignments.map((a) => `${a.name}=${a.value.text}`),
    ...command.words.map((w) => w.text),
  ];
}

/** The first occurrence of a command's first token at or after `from`, on a word boundary. */
function findToken(text: string, token: string, from: number, start: number, end: number) {
  let at = text.indexOf(token, from);
  while (at >= 0 && at < end) {
    const before = at === start ? ' ' : text[at - 1];
    const after = text[at + token.length];
    const endsWord = token.endsWith('=') || after === undefined || /[\s;&|)]/.test(after);
    if (BOUNDARY_BEFORE.has(before) && endsWord) return at;
    at = text.indexOf(token, at + 1);
  }
  return undefined;
}

const locatedCache = new KeyedCache<RunInfo, (LocatedCommand | undefined)[]>();

/**
 * The words of each simple command of a RUN with their document offsets (undefined for a
 * command that cannot be located with certainty), found in one left-to-right pass and cached
 * per RUN. Each search starts after the words of the previous command (after only the program
 * name of an `sh -c`, whose script holds the commands that follow it).
 */
export function locateCommands(
  model: DockerfileModel,
  run: RunInfo,
): (LocatedCommand | undefined)[] {
  let located = locatedCache.get(run);
  if (!located) {
    located = locateAll(model, run);
    locatedCache.set(run, located);
  }
  return located;
}

/** The words of the RUN's `commandIndex`-th simple command; see `locateCommands`. */
export function locateCommand(
  model: DockerfileModel,
  run: RunInfo,
  commandIndex: number,
): LocatedCommand | undefined {
  return locateCommands(model, run)[commandIndex];
}

/**
 * Document offsets where each of the RUN's commands starts (its first assignment or word), for
 * fixes that insert text such as `CGO_ENABLED=0 ` before a command; undefined for a command that
 * cannot be located with certainty, which no fix should then edit.
 */
export function commandOffsets(model: DockerfileModel, run: RunInfo): (number | undefined)[] {
  return locateCommands(model, run).map((command) => command?.words[0]?.start);
}

function locateAll(model: DockerfileModel, run: RunInfo): (LocatedCommand | undefined)[] {
  const result: (LocatedCommand | undefined)[] = run.commands.map(() => undefined);
  const text = model.text;
  const args = instructionArguments(run.instruction);
  if (args.length === 0) return result;
  let start = model.index.offsetAt(args[0].getRange().start);
  let end = model.index.offsetAt(run.instruction.getRange().end);
  if (run.exec) {
    const command = run.commands[0];
    const words = jsonStrings(text, start, end);
    const expected = command ? expectedWords(command) : [];
    if (
      command &&
      words &&
      words.length === expected.length &&
      words.every((w, i) => w.text === expected[i])
    ) {
      result[0] = { words, firstWord: command.assignments.length, exec: true };
    }
    return result;
  }
  // A heredoc body is a shell script: `\` continues its lines and comment lines are the
  // shell's. Elsewhere the Dockerfile joins lines with its escape character first.
  let escape = model.escapeChar;
  let dropsCommentLines = true;
  if (run.heredoc) {
    const body = heredocsOf(run.instruction, model.index)[0];
    if (body && run.script === body.body) {
      start = model.index.offsetAt(body.range.start);
      end = model.index.offsetAt(body.range.end);
      escape = '\\';
      dropsCommentLines = false;
    }
  }
  const quotes: QuoteState = { text, escape, dropsCommentLines, i: start, quote: undefined };
  let cursor = start;
  for (let i = 0; i < run.commands.length; i++) {
    const current = run.commands[i];
    const token =
      current.assignments.length > 0 ? current.assignments[0].name + '=' : current.words[0]?.text;
    if (!token) break;
    const offset = findToken(text, token, cursor, start, end);
    if (offset === undefined) break;
    const enclosingQuote = quoteAt(quotes, offset);
    const words = readWords(
      decodeChars(text, offset, end, escape, dropsCommentLines, enclosingQuote),
    );
    const expected = expectedWords(current);
    // The tokenizer writes `\$` as `$`; compare without that distinction.
    const matches =
      words !== undefined &&
      words.length === expected.length &&
      words.every((w, k) => w.text.replace(/\\\$/g, '$') === expected[k]);
    if (matches) {
      for (const w of words) w.text = w.text.replace(/\\\$/g, '$');
      result[i] = { words, firstWord: current.assignments.length, exec: false, enclosingQuote };
    }
    const nested = shellCommandScript(current) !== undefined;
    cursor = matches && !nested ? words[words.length - 1].end : offset + token.length;
  }
  return result;
}

/**
 * The range of words `first..last` of a located command, cut at the end of the first word's
 * line so that a finding does not underline a whole continued command.
 */
export function wordsRange(
  model: DockerfileModel,
  command: LocatedCommand,
  first: number,
  last: number,
): Range {
  const start = command.words[first];
  const line = model.index.positionAt(start.start).line;
  let end = start.end;
  for (let i = first; i <= last && i < command.words.length; i++) {
    const word = command.words[i];
    if (model.index.positionAt(word.end).line !== line) break;
    end = word.end;
  }
  return model.index.rangeOf(start.start, end);
}
