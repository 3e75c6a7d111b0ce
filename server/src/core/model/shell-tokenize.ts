/**
 * The tokens of one logical line of a shell script, from shell-quote: words (variables kept as
 * `${NAME}`, command substitutions as one mark), operators, globs and comments. Expansions that
 * shell-quote cannot read are set aside while it runs and put back in the words.
 */
import { parse as shellParse } from 'shell-quote';
import type { Word } from './shell-types';

export type Token = ReturnType<typeof shellParse>[number];

/** What a command substitution (`$(…)`) stands as in a word: its output is not known here. */
export const SUBSTITUTION_MARK = '${__command_substitution__}';

// Variables stay in the words as `${NAME}`. Given as an object (a proxy answering every name),
// not a function: with a function shell-quote re-splits every word with a new RegExp, in case
// the function returned an object, which made up a third of the tokenizing time.
const envForShellQuote: Record<string, string> = new Proxy(
  {},
  { get: (_target, name) => (typeof name === 'string' ? '${' + name + '}' : undefined) },
);

export function tokenize(raw: string): Token[] {
  const line = markCommandSubstitutions(raw);
  try {
    return shellParse(line, envForShellQuote);
  } catch {
    // shell-quote cannot read a parameter expansion written outside quotes whose word holds a
    // command substitution, quotes or blanks (`V=${V:-$(git describe)}`, `${J:+-j ${J}}`): it
    // cuts the word there and throws. Such expansions are set aside under a plain name and put
    // back in the words (as one word: what the shell splits it into is not known here anyway).
    const held = holdNestedExpansions(line);
    if (held.bodies.length > 0) {
      try {
        return shellParse(held.line, envForShellQuote).map((token) => restore(token, held.bodies));
      } catch {
        // Still unreadable: as below.
      }
    }
    // shell-quote throws on some malformed input (e.g. a bad substitution); treat the line as
    // one opaque word rather than fail.
    return [{ comment: line }];
  }
}

/**
 * The line with each command substitution (`$(…)`, or the older `` `…` ``) outside single quotes
 * and outside `${…}` written as the substitution mark, in quotes or not: shell-quote would split
 * one written outside quotes into words and operators (`-o $(go env GOPATH)/bin/app` into `-o`,
 * `$`, `(`, `go`, ..., `/bin/app`; `` V=`git describe` go build `` into `` V=`git ``, `describe`,
 * …), and give a `$(…)` in double quotes as a nameless variable followed by its text. The text
 * glued to it stays in its word. One left open is left as it is.
 */
function markCommandSubstitutions(line: string): string {
  if (!line.includes('$(') && !line.includes('`')) return line;
  let out = '';
  let from = 0;
  let single = false;
  let double = false;
  let braces = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (single) {
      if (c === "'") single = false;
    } else if (c === '\\') {
      i++;
    } else if (c === '"') {
      double = !double;
    } else if (c === "'" && !double) {
      single = true;
    } else if (c === '$' && line[i + 1] === '{') {
      braces++;
      i++;
    } else if (c === '}' && braces > 0) {
      braces--;
    } else if (c === '$' && line[i + 1] === '(' && braces === 0) {
      const end = closingParen(line, i + 1);
      if (end < 0) break;
      out += line.slice(from, i) + SUBSTITUTION_MARK;
      from = end + 1;
      i = end;
    } else if (c === '`' && braces === 0) {
      const end = closingBackquote(line, i + 1);
      if (end < 0) break;
      out += line.slice(from, i) + SUBSTITUTION_MARK;
      from = end + 1;
      i = end;
    }
  }
  return out + line.slice(from);
}

const HELD = '__go_multistage_held_';
/** A held expansion as it stands in a word, `${HELD<n>}` (HELD spelt out: a literal pattern). */
const HELD_REFERENCE = /\$\{__go_multistage_held_(\d+)\}/g;

/** The end of the `${…}` whose `{` is at `open` (the index past its `}`), or -1. */
function expansionEnd(line: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      i++;
    } else if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
    } else if (c === '{' || c === '(') {
      depth++;
    } else if (c === '}' || c === ')') {
      depth--;
      if (depth === 0) return c === '}' ? i + 1 : -1;
    }
  }
  return -1;
}

/**
 * The line with each `${…}` outside single quotes that holds a `$(…)`, a backquote, a quote or a
 * blank replaced by `${HELD<n>}`, and the bodies replaced.
 */
function holdNestedExpansions(line: string): { line: string; bodies: string[] } {
  const bodies: string[] = [];
  let out = '';
  let single = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && !single) {
      out += line.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === "'") single = !single;
    if (!single && c === '$' && line[i + 1] === '{') {
      const end = expansionEnd(line, i + 1);
      const body = end < 0 ? '' : line.slice(i + 2, end - 1);
      if (end >= 0 && /\$\(|[`'"\s]/.test(body)) {
        out += '${' + HELD + bodies.length + '}';
        bodies.push(body);
        i = end - 1;
        continue;
      }
    }
    out += c;
  }
  return { line: out, bodies };
}

function restore(token: Token, bodies: readonly string[]): Token {
  const put = (text: string) =>
    text.replace(HELD_REFERENCE, (whole, n: string) =>
      bodies[Number(n)] !== undefined ? '${' + bodies[Number(n)] + '}' : whole,
    );
  if (typeof token === 'string') return put(token);
  if (typeof token === 'object' && token !== null && 'op' in token && token.op === 'glob') {
    return { ...token, pattern: put((token as { pattern: string }).pattern) } as Token;
  }
  return token;
}

export function isOp(token: Token): token is { op: string } {
  return typeof token === 'object' && token !== null && 'op' in token && token.op !== 'glob';
}

export function toWord(token: Token): Word | undefined {
  if (typeof token === 'string') {
    const text = markSubstitutions(token);
    return { text, dynamic: text.includes('${'), glob: false };
  }
  if (typeof token === 'object' && token !== null && 'op' in token && token.op === 'glob') {
    const pattern = (token as { pattern: string }).pattern;
    return { text: pattern, dynamic: pattern.includes('${'), glob: true };
  }
  return undefined;
}

/**
 * A word with each command substitution inside double quotes (`"-X main.v=$(date +%s)"`, which
 * shell-quote gives as `${}(date +%s)`: a variable without a name, then the text) written as
 * the substitution mark. markCommandSubstitutions marks them before shell-quote runs; this
 * catches those it left, after an unclosed one earlier on the line (LineReader.operator does
 * the same for those outside quotes).
 */
function markSubstitutions(text: string): string {
  let at = text.indexOf('${}(');
  if (at < 0) return text;
  let out = '';
  let from = 0;
  while (at >= 0) {
    const end = closingParen(text, at + 3);
    if (end < 0) break;
    out += text.slice(from, at) + SUBSTITUTION_MARK;
    from = end + 1;
    at = text.indexOf('${}(', from);
  }
  return out + text.slice(from);
}

/** The index of the backquote closing a `` `…` `` substitution, from `from` (escapes skipped), or -1. */
export function closingBackquoteAt(
  charAt: (i: number) => string | undefined,
  from: number,
): number {
  for (let i = from; ; i++) {
    const c = charAt(i);
    if (c === undefined) return -1;
    if (c === '\\') i++;
    else if (c === '`') return i;
  }
}

function closingBackquote(text: string, from: number): number {
  return closingBackquoteAt((i) => text[i], from);
}

/** The index of the `)` closing the `(` at `open` (what is quoted inside skipped), or -1. */
function closingParen(text: string, open: number): number {
  return closingParenAt((i) => text[i], open);
}

/**
 * The position of the `)` closing the `(` at `open`, reading characters through `charAt`
 * (undefined past the end), skipping what is quoted or escaped inside; -1 when it is not closed.
 */
export function closingParenAt(charAt: (i: number) => string | undefined, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; ; i++) {
    const c = charAt(i);
    if (c === undefined) return -1;
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (c === '\\') {
      i++;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '(') {
      depth++;
    } else if (c === ')' && --depth === 0) {
      return i;
    }
  }
}
