/**
 * Splits shell scripts (the text of a RUN, a heredoc body, an `sh -c` argument) into simple
 * commands, using shell-quote as the tokenizer: operators, quoting, escapes, globs and comments
 * are its job; this module only groups its tokens into commands.
 */
import { Conditions } from './shell-conditions';
import { SUBSTITUTION_MARK, isOp, toWord, tokenize, type Token } from './shell-tokenize';
import { programName, type ParsedScript, type SimpleCommand } from './shell-types';

export type { ParsedScript, Redirect, SimpleCommand, Word } from './shell-types';
export { SUBSTITUTION_MARK } from './shell-tokenize';
export { programName } from './shell-types';

const REDIRECT_OPS = new Set(['>', '>>', '<', '>&', '<&', '<<<', '<(', '>|', '&>']);
const SEPARATOR_OPS = new Set(['&&', '||', ';', ';;', '|', '|&', '&', '(', ')']);
const LEADING_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{']);
const CLOSING_KEYWORDS = new Set(['fi', 'done', '}', 'esac']);
const OPAQUE_KEYWORDS = new Set(['for', 'case', 'select', 'function']);

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

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
      const heredocs = current.includes('<<') ? openedHeredocs(current) : undefined;
      lines.push(heredocs ? heredocs.line : current);
      current = '';
      physical++;
      starts?.push(physical);
      if (heredocs) {
        // The bodies are the commands' input, not commands: each body line is an empty line.
        i =
          skipBodies(script, i + 1, heredocs.delimiters, () => {
            lines.push('');
            physical++;
            starts?.push(physical);
          }) - 1;
      }
      continue;
    }
    current += c;
  }
  lines.push(current);
  return lines;
}

interface Heredoc {
  delimiter: string;
  /** `<<-`: the body's lines, and its delimiter line, may start with tabs. */
  tabs: boolean;
}

const HEREDOC_OPERATOR = /^<<(-?)[ \t]*(['"]?)([A-Za-z_][A-Za-z0-9_.-]*)\2/;

/**
 * The heredocs a line opens (`cat <<EOF > f`, `<<-'END'`), outside quotes, with the line
 * without their operators; undefined when it opens none. Not `<<<` (a here-string), nor a shift
 * in arithmetic (`$((1 << 2))`); undefined too when one feeds a shell, whose body is commands.
 */
function openedHeredocs(line: string): { line: string; delimiters: Heredoc[] } | undefined {
  if (line.includes('((')) return undefined;
  const delimiters: Heredoc[] = [];
  let kept = '';
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '<' && line[i - 1] !== '<' && line[i + 2] !== '<') {
      const match = HEREDOC_OPERATOR.exec(line.slice(i));
      // A body fed to a shell (`bash <<EOF`) is a script: its lines stay commands.
      if (match && feedsShell(kept)) return undefined;
      if (match) {
        delimiters.push({ delimiter: match[3], tabs: match[1] === '-' });
        i += match[0].length - 1;
        continue;
      }
    }
    kept += c;
  }
  return delimiters.length > 0 ? { line: kept, delimiters } : undefined;
}

/** Whether the command a heredoc operator follows (`kept`, the line before it) is a shell. */
function feedsShell(kept: string): boolean {
  const segment = kept.split(/;|&&|\|\||\||\(/).pop() ?? '';
  const words = segment
    .trim()
    .split(/\s+/)
    .filter((w) => !ASSIGNMENT.test(w) && w !== 'exec' && w !== 'sudo' && w !== 'command');
  const program = words[0];
  return program !== undefined && SHELLS.has(program.slice(program.lastIndexOf('/') + 1));
}

/**
 * Skips the bodies of heredocs from `from` (the start of the line after the one that opened
 * them), each up to its delimiter line, calling `onLine` for each line ended by a newline.
 * Returns where the text after the last delimiter line starts (the script's end when a body
 * is not closed).
 */
function skipBodies(script: string, from: number, heredocs: Heredoc[], onLine: () => void): number {
  let at = from;
  for (const { delimiter, tabs } of heredocs) {
    while (at < script.length) {
      let end = script.indexOf('\n', at);
      if (end < 0) end = script.length;
      let text = script.slice(at, end);
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (tabs) text = text.replace(/^\t+/, '');
      if (end === script.length) return end;
      at = end + 1;
      onLine();
      if (text === delimiter) break;
    }
  }
  return at;
}

/** Groups one logical line's tokens into simple commands. */
class LineReader {
  private current: SimpleCommand;
  opaque = false;

  constructor(
    private readonly commands: SimpleCommand[],
    private readonly conditions: Conditions,
    private readonly line: number,
  ) {
    this.current = { assignments: [], words: [], redirects: [], line };
  }

  read(tokens: Token[]): void {
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (typeof token === 'object' && token !== null && 'comment' in token) break;
      if (isOp(token)) i = this.operator(tokens, i, token.op);
      else this.word(token);
    }
    this.finish();
  }

  private begin(): void {
    const current = this.current;
    if (current.words.length > 0 || current.assignments.length > 0) return;
    if (this.conditions.now()) current.conditional = true;
  }

  private finish(joinedBy?: string): void {
    const current = this.current;
    const started = current.words.length > 0 || current.assignments.length > 0;
    if (started) this.commands.push(current);
    this.conditions.finished(started ? current : undefined, joinedBy);
    this.current = { assignments: [], words: [], redirects: [], joinedBy, line: this.line };
  }

  /** An operator token at `i`; returns the index of the last token it used. */
  private operator(tokens: Token[], i: number, op: string): number {
    const current = this.current;
    if (REDIRECT_OPS.has(op)) {
      const last = current.words[current.words.length - 1];
      // `2>&1`, `2>/dev/null`: the digit before the operator names a file descriptor.
      if (last && /^\d$/.test(last.text)) current.words.pop();
      const target = i + 1 < tokens.length ? toWord(tokens[i + 1]) : undefined;
      current.redirects.push({ op, target });
      return target ? i + 1 : i;
    }
    const last =
      current.words.length > 0
        ? current.words[current.words.length - 1]
        : current.assignments[current.assignments.length - 1]?.value;
    if (op === '(' && last) {
      const dollar = last.text.endsWith('${}') ? 3 : last.text.endsWith('$') ? 1 : 0;
      if (dollar > 0) {
        // `$(...)`: shell-quote splits a command substitution into `$` (a variable without a
        // name, `${}`, to the proxy that writes variables), `(`, ..., `)`.
        let depth = 1;
        let j = i + 1;
        for (; j < tokens.length && depth > 0; j++) {
          const t = tokens[j];
          if (isOp(t) && t.op === '(') depth++;
          if (isOp(t) && t.op === ')') depth--;
        }
        last.text = last.text.slice(0, -dollar) + SUBSTITUTION_MARK;
        last.dynamic = true;
        this.opaque = true;
        return j - 1;
      }
    }
    if (SEPARATOR_OPS.has(op)) this.finish(op);
    // Any other operator: keep going, the command is simply less certain.
    else this.opaque = true;
    return i;
  }

  private word(token: Token): void {
    const word = toWord(token);
    if (!word) return;
    const current = this.current;
    if (current.words.length === 0) {
      if (LEADING_KEYWORDS.has(word.text) || CLOSING_KEYWORDS.has(word.text)) {
        if (current.assignments.length === 0) this.conditions.keyword(word.text);
        return;
      }
      if (OPAQUE_KEYWORDS.has(word.text)) this.opaque = true;
      const assignment = ASSIGNMENT.exec(word.text);
      if (assignment && !word.glob) {
        this.begin();
        const value = word.text.slice(assignment[0].length);
        current.assignments.push({
          name: assignment[1],
          value: { text: value, dynamic: value.includes('${'), glob: false },
        });
        return;
      }
      this.begin();
      // `for x in ...` and `case x in` stay commands (their words are read as one), and
      // open a compound command.
      if (
        current.assignments.length === 0 &&
        (word.text === 'for' || word.text === 'select' || word.text === 'case')
      ) {
        this.conditions.keyword(word.text);
      }
    }
    if (word.text.includes('`')) {
      word.dynamic = true;
      this.opaque = true;
    }
    current.words.push(word);
  }
}

// The same script text is parsed by the model and again by facts, rules and the conversion (a
// CMD's shell form, an `sh -c` argument): the last results are kept. Callers must not modify
// what they get.
const recent = new Map<string, ParsedScript>();
const RECENT_LIMIT = 512;

/**
 * Parses a whole script into its simple commands. `conditional` marks every command as running
 * conditionally (a script that itself runs only on some condition, as `[ -f x ] || sh -c '...'`).
 */
export function parseScript(script: string, conditional = false): ParsedScript {
  const key = (conditional ? '1' : '0') + script;
  const known = recent.get(key);
  if (known) return known;
  const commands: SimpleCommand[] = [];
  const conditions = new Conditions(conditional);
  let opaque = false;
  logicalLines(script).forEach((line, lineNumber) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const reader = new LineReader(commands, conditions, lineNumber);
    reader.read(tokenize(line));
    opaque ||= reader.opaque;
  });
  const parsed = { commands, opaque };
  if (recent.size >= RECENT_LIMIT) recent.delete(recent.keys().next().value as string);
  recent.set(key, parsed);
  return parsed;
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
