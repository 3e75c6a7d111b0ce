/**
 * Splits shell scripts (the text of a RUN, a heredoc body, an `sh -c` argument) into simple
 * commands, using shell-quote as the tokenizer: operators, quoting, escapes, globs and comments
 * are its job; this module only groups its tokens into commands.
 */
import { parse as shellParse } from 'shell-quote';

/** One word of a command after quote removal. Variables are kept as `${NAME}`. */
export interface Word {
  text: string;
  /** The word contains a variable or a command substitution, so its value is not literal. */
  dynamic: boolean;
  /** The word is an unquoted glob pattern. */
  glob: boolean;
}

export interface Redirect {
  op: string;
  target?: Word;
}

/** A simple command: leading `NAME=value` assignments, then the words of the command. */
export interface SimpleCommand {
  assignments: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
  /** The operator that joined this command to the previous one (`&&`, `||`, `;`, `|`, ...). */
  joinedBy?: string;
  /** Index of the logical line of the script this command came from. */
  line: number;
  /**
   * The command runs only on some condition the script tests: after `||`, after `&&` behind a
   * test (`[ -f x ] && ...`), in an `if`/`elif`/`else` branch, a `case` arm or a `while` body,
   * or after a conditional `exit 0`. Set to true only; absent means it runs whenever the script
   * gets that far.
   */
  conditional?: boolean;
}

export interface ParsedScript {
  commands: SimpleCommand[];
  /** The script uses constructs the analysis does not follow (command substitution, loops). */
  opaque: boolean;
}

type Token = ReturnType<typeof shellParse>[number];

const SUBSTITUTION_MARK = '${__command_substitution__}';
const REDIRECT_OPS = new Set(['>', '>>', '<', '>&', '<&', '<<<', '<(', '>|', '&>']);
const SEPARATOR_OPS = new Set(['&&', '||', ';', ';;', '|', '|&', '&', '(', ')']);
const LEADING_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{']);
const CLOSING_KEYWORDS = new Set(['fi', 'done', '}', 'esac']);
const OPAQUE_KEYWORDS = new Set(['for', 'case', 'select', 'function']);

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

// Variables stay in the words as `${NAME}`. Given as an object (a proxy answering every name),
// not a function: with a function shell-quote re-splits every word with a new RegExp, in case
// the function returned an object, which made up a third of the tokenizing time.
const envForShellQuote: Record<string, string> = new Proxy(
  {},
  { get: (_target, name) => (typeof name === 'string' ? '${' + name + '}' : undefined) },
);

/**
 * Splits a script into logical lines: a backslash before a newline joins two lines, and a
 * newline inside quotes does not end a line. `starts`, when given, receives the zero-based
 * physical line each logical line starts on.
 */
export function logicalLines(script: string, starts?: number[]): string[] {
  const lines: string[] = [];
  let current = '';
  let quote: string | undefined;
  let physical = 0;
  starts?.push(0);
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === '\\' && quote !== "'") {
      const next = script[i + 1];
      if (next === '\n') {
        i++;
        physical++;
        continue;
      }
      if (next === '\r' && script[i + 2] === '\n') {
        i += 2;
        physical++;
        continue;
      }
      current += c + (next ?? '');
      i++;
      continue;
    }
    if (quote) {
      if (c === quote) quote = undefined;
      if (c === '\n') physical++;
      current += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      current += c;
      continue;
    }
    if (c === '#' && (current === '' || /\s/.test(current[current.length - 1]))) {
      // A comment runs to the end of the line; quotes inside it mean nothing.
      while (i + 1 < script.length && script[i + 1] !== '\n' && script[i + 1] !== '\r') i++;
      continue;
    }
    if (c === '\n' || c === '\r') {
      if (c === '\r' && script[i + 1] === '\n') i++;
      lines.push(current);
      current = '';
      physical++;
      starts?.push(physical);
      continue;
    }
    current += c;
  }
  lines.push(current);
  return lines;
}

function tokenize(line: string): Token[] {
  try {
    return shellParse(line, envForShellQuote);
  } catch {
    // shell-quote throws on some malformed input (e.g. a bad substitution); treat the line as
    // one opaque word rather than fail.
    return [{ comment: line }];
  }
}

function isOp(token: Token): token is { op: string } {
  return typeof token === 'object' && token !== null && 'op' in token && token.op !== 'glob';
}

function toWord(token: Token): Word | undefined {
  if (typeof token === 'string') {
    return { text: token, dynamic: token.includes('${'), glob: false };
  }
  if (typeof token === 'object' && token !== null && 'op' in token && token.op === 'glob') {
    const pattern = (token as { pattern: string }).pattern;
    return { text: pattern, dynamic: pattern.includes('${'), glob: true };
  }
  return undefined;
}

/** A compound command the script is inside, for `conditional`. */
interface Frame {
  kind: 'if' | 'loop' | 'for' | 'case' | 'group' | 'subshell';
  /** The compound command itself runs conditionally. */
  conditional: boolean;
  /** The part being read is a branch or body that may not run. */
  branch: boolean;
}

// Commands whose exit status is a test: what follows `&&` runs only when the test holds.
const TESTS = new Set(['[', '[[', 'test', 'which', 'type']);

function isTest(command: SimpleCommand): boolean {
  const name = programName(command.words[0]);
  if (name === undefined) return false;
  if (TESTS.has(name)) return true;
  const flags = command.words.slice(1).map((w) => w.text);
  if (name === 'command') return flags.includes('-v') || flags.includes('-V');
  return name === 'grep' && flags.some((f) => /^-[a-zA-Z]*q/.test(f) || f === '--quiet');
}

/** `exit` or `exit 0`: the rest of the script does not run. */
function exitsSuccessfully(command: SimpleCommand): boolean {
  if (programName(command.words[0]) !== 'exit') return false;
  return command.words.length === 1 || command.words[1].text === '0';
}

const MAX_DEPTH = 64;

/**
 * Tracks which commands of a script run conditionally: the compound commands it is inside and
 * the `&&`/`||` list it is reading.
 */
class Conditions {
  private readonly frames: Frame[] = [];
  /** The command being read follows `||`, or `&&` after a test. */
  private listConditional = false;
  /** The list read so far succeeds only when a test holds. */
  private uncertain = false;
  /** The operator before the command being read. */
  private via: string | undefined;
  /** A conditional `exit 0` was read (or compound commands nest too deep to follow). */
  private exited = false;

  constructor(private readonly outer: boolean) {}

  /**
   * Whether a command starting now runs conditionally. A frame's `conditional` holds what was
   * true when it opened, its parents included, so the innermost frame answers for all.
   */
  now(): boolean {
    const top = this.frames[this.frames.length - 1];
    return (
      this.outer ||
      this.exited ||
      this.listConditional ||
      (top !== undefined && (top.conditional || top.branch))
    );
  }

  /** A keyword at the start of a command (`if`, `then`, `do`, `fi`, `{`, ...). */
  keyword(word: string): void {
    const top = this.frames[this.frames.length - 1];
    switch (word) {
      case 'if':
      case 'while':
      case 'until':
      case 'for':
      case 'select':
      case 'case':
      case '{':
        if (this.frames.length >= MAX_DEPTH) {
          // Not a script anyone writes: take everything after it as conditional.
          this.exited = true;
          return;
        }
        this.frames.push({
          kind:
            word === 'if'
              ? 'if'
              : word === 'while' || word === 'until'
                ? 'loop'
                : word === 'case'
                  ? 'case'
                  : word === '{'
                    ? 'group'
                    : 'for',
          conditional: this.now(),
          // The arms of a case run only when their pattern matches.
          branch: word === 'case',
        });
        this.startList();
        return;
      case 'then':
      case 'elif':
      case 'else':
        if (top?.kind === 'if') top.branch = true;
        this.startList();
        return;
      case 'do':
        // A for loop's body runs for each word, a while loop's maybe never.
        if (top?.kind === 'loop') top.branch = true;
        this.startList();
        return;
      case 'fi':
        this.close('if');
        return;
      case 'done':
        this.close('loop', 'for');
        return;
      case 'esac':
        this.close('case');
        return;
      case '}':
        this.close('group');
        return;
    }
  }

  /** A subshell opens: `( ... )`. */
  openSubshell(): void {
    if (this.frames.length >= MAX_DEPTH) {
      this.exited = true;
      return;
    }
    this.frames.push({ kind: 'subshell', conditional: this.now(), branch: false });
    this.startList();
  }

  /** A `)`: closes a subshell (in a case, it ends a pattern instead). */
  closeParen(): void {
    if (this.frames[this.frames.length - 1]?.kind === 'subshell') this.frames.pop();
  }

  private close(...kinds: Frame['kind'][]): void {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      if (kinds.includes(this.frames[i].kind)) {
        this.frames.length = i;
        break;
      }
    }
    this.startList();
  }

  /** A new list starts (after `;`, `&`, a newline, a keyword). */
  startList(): void {
    this.listConditional = false;
    this.uncertain = false;
    this.via = undefined;
  }

  /** A command was read, followed by `op` (undefined at the end of a line). */
  finished(command: SimpleCommand | undefined, op: string | undefined): void {
    if (command) {
      const test = isTest(command);
      // After `||` the list succeeds when either side does: it is uncertain only if the right
      // side is a test. After `&&` (or first) it needs every command to succeed.
      if (this.via === '||') this.uncertain = test;
      else if (this.via !== '|' && this.via !== '|&') this.uncertain = this.uncertain || test;
      // `exit` leaves only the subshell it is in.
      const inSubshell = this.frames.some((f) => f.kind === 'subshell');
      if (command.conditional && !inSubshell && exitsSuccessfully(command)) this.exited = true;
    }
    switch (op) {
      case '&&':
        this.listConditional = this.uncertain;
        this.via = op;
        return;
      case '||':
        this.listConditional = true;
        this.via = op;
        return;
      case '|':
      case '|&':
        this.via = op;
        return;
      case '(':
        this.openSubshell();
        return;
      case ')':
        this.closeParen();
        this.startList();
        return;
      default:
        this.startList();
    }
  }
}

/**
 * Parses a whole script into its simple commands. `conditional` marks every command as running
 * conditionally (a script that itself runs only on some condition, as `[ -f x ] || sh -c '...'`).
 */
export function parseScript(script: string, conditional = false): ParsedScript {
  const commands: SimpleCommand[] = [];
  const conditions = new Conditions(conditional);
  let opaque = false;
  logicalLines(script).forEach((line, lineNumber) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const tokens = tokenize(line);
    let current: SimpleCommand = { assignments: [], words: [], redirects: [], line: lineNumber };
    const begin = (): void => {
      if (current.words.length > 0 || current.assignments.length > 0) return;
      if (conditions.now()) current.conditional = true;
    };
    const finish = (joinedBy?: string): void => {
      const started = current.words.length > 0 || current.assignments.length > 0;
      if (started) commands.push(current);
      conditions.finished(started ? current : undefined, joinedBy);
      current = { assignments: [], words: [], redirects: [], joinedBy, line: lineNumber };
    };
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (typeof token === 'object' && token !== null && 'comment' in token) break;
      if (isOp(token)) {
        if (REDIRECT_OPS.has(token.op)) {
          const last = current.words[current.words.length - 1];
          // `2>&1`, `2>/dev/null`: the digit before the operator names a file descriptor.
          if (last && /^\d$/.test(last.text)) current.words.pop();
          const target = i + 1 < tokens.length ? toWord(tokens[i + 1]) : undefined;
          if (target) i++;
          current.redirects.push({ op: token.op, target });
          continue;
        }
        if (token.op === '(' && current.words.length > 0) {
          const last = current.words[current.words.length - 1];
          if (last.text.endsWith('$')) {
            // `$(...)`: shell-quote splits a command substitution into `$`, `(`, ..., `)`.
            let depth = 1;
            let j = i + 1;
            for (; j < tokens.length && depth > 0; j++) {
              const t = tokens[j];
              if (isOp(t) && t.op === '(') depth++;
              if (isOp(t) && t.op === ')') depth--;
            }
            last.text = last.text.slice(0, -1) + SUBSTITUTION_MARK;
            last.dynamic = true;
            opaque = true;
            i = j - 1;
            continue;
          }
        }
        if (SEPARATOR_OPS.has(token.op)) {
          finish(token.op);
          continue;
        }
        // Any other operator: keep going, the command is simply less certain.
        opaque = true;
        continue;
      }
      const word = toWord(token);
      if (!word) continue;
      if (current.words.length === 0) {
        if (LEADING_KEYWORDS.has(word.text) || CLOSING_KEYWORDS.has(word.text)) {
          if (current.assignments.length === 0) conditions.keyword(word.text);
          continue;
        }
        if (OPAQUE_KEYWORDS.has(word.text)) opaque = true;
        const assignment = ASSIGNMENT.exec(word.text);
        if (assignment && !word.glob) {
          begin();
          const value = word.text.slice(assignment[0].length);
          current.assignments.push({
            name: assignment[1],
            value: { text: value, dynamic: value.includes('${'), glob: false },
          });
          continue;
        }
        begin();
        // `for x in ...` and `case x in` stay commands (their words are read as one), and
        // open a compound command.
        if (
          current.assignments.length === 0 &&
          (word.text === 'for' || word.text === 'select' || word.text === 'case')
        ) {
          conditions.keyword(word.text);
        }
      }
      if (word.text.includes('`')) {
        word.dynamic = true;
        opaque = true;
      }
      current.words.push(word);
    }
    finish();
  });
  return { commands, opaque };
}

/** Parses an exec-form argument vector (already split) as a single command. */
export function commandFromArgv(argv: readonly string[]): SimpleCommand {
  return {
    assignments: [],
    words: argv.map((text) => ({ text, dynamic: false, glob: false })),
    redirects: [],
    line: 0,
  };
}

/** Shells whose `-c` argument is itself a script. */
export const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);

/** Basename of a program word (`/usr/local/go/bin/go` → `go`). */
export function programName(word: Word | undefined): string | undefined {
  if (!word) return undefined;
  const slash = word.text.lastIndexOf('/');
  return slash < 0 ? word.text : word.text.slice(slash + 1);
}

/**
 * For `sh -c '<script>'` (and bash, ...): the script, else undefined. Options before `-c` such as
 * `-e`, `-x`, `-eux` are allowed.
 */
export function shellCommandScript(command: SimpleCommand): string | undefined {
  const name = programName(command.words[0]);
  if (!name || !SHELLS.has(name)) return undefined;
  for (let i = 1; i < command.words.length; i++) {
    const word = command.words[i].text;
    if (!word.startsWith('-')) return undefined;
    if (word.includes('c') && !word.startsWith('--')) {
      return command.words[i + 1]?.text;
    }
  }
  return undefined;
}
