/**
 * A subset of HCL, enough for docker-bake.hcl: blocks with labels (`target "api" { … }`),
 * attributes whose values are strings (with `${NAME}` interpolation), numbers, booleans, null,
 * lists, objects, bare variable names and function calls, and `#`, `//` and `/* … *\/` comments.
 * Anything else (conditionals, `for` expressions, operators, heredocs, `%{}` directives) is read
 * as an unknown value, and parsing goes on after it. Calls of the file's own functions
 * (`function "x" { params = [a] result = "./bin/${a}" }`) are evaluated by hcl-evaluate.ts,
 * within bounds; calls of Bake's built-in functions are unknown.
 *
 * Why not a full parser: the HCL parsers published for JavaScript are HashiCorp's Go parser
 * compiled to JavaScript or WebAssembly (1.5 to 3.8 MB), more than the whole extension may
 * weigh. Bake files use a small part of the language; what this subset cannot read stays unknown
 * rather than guessed, and docker-bake.json is read in full.
 */

export type HclExpression =
  | { kind: 'template'; raw: string }
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'list'; items: HclExpression[] }
  | { kind: 'object'; entries: { key: string; value: HclExpression }[] }
  | { kind: 'reference'; name: string }
  | { kind: 'call'; name: string; args: HclExpression[] }
  | { kind: 'unknown' };

export interface HclAttribute {
  name: string;
  value: HclExpression;
  /** Zero-based line of the attribute's name. */
  line: number;
}

export interface HclBlock {
  type: string;
  labels: string[];
  body: HclBody;
  line: number;
}

export interface HclBody {
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

type TokenKind = 'ident' | 'string' | 'number' | 'punct' | 'newline' | 'heredoc' | 'other';

interface Token {
  kind: TokenKind;
  text: string;
  line: number;
}

/** Larger files are not Bake files anyone writes by hand; the caller caps the size first. */
const MAX_TOKENS = 200_000;
const MAX_DEPTH = 64;

export class HclError extends Error {}

/**
 * The quoted string that starts at `start`: where it ends (after its closing quote) and the line
 * it ends on. Interpolations may hold quotes of their own (`${upper("x")}`): `${` nesting is
 * tracked.
 */
function scanString(text: string, start: number, line: number): { end: number; line: number } {
  const startLine = line;
  let i = start + 1;
  let depth = 0;
  while (i < text.length) {
    const d = text[i];
    if (d === '\\') {
      i += 2;
      continue;
    }
    if (d === '\n') {
      if (depth === 0) break;
      line++;
    }
    if ((d === '$' || d === '%') && text[i + 1] === '{') {
      if (text[i - 1] !== d) depth++;
      i += 2;
      continue;
    }
    if (d === '}' && depth > 0) depth--;
    else if (d === '"' && depth === 0) break;
    i++;
  }
  if (text[i] !== '"') throw new HclError(`unterminated string on line ${startLine + 1}`);
  return { end: i + 1, line };
}

/**
 * The heredoc that starts at `start` (`<<WORD` or `<<-WORD`, then a newline): its marker, where
 * it ends (after its closing line, or at the end of the text), and the newlines before its
 * closing line. Undefined when `<<` starts no heredoc.
 */
function scanHeredoc(
  text: string,
  start: number,
): { marker: string; end: number; lines: number } | undefined {
  const match = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/.exec(text.slice(start, start + 200));
  if (!match) return undefined;
  const marker = match[1];
  let i = start + match[0].length;
  let lines = 1;
  for (;;) {
    const end = text.indexOf('\n', i);
    const content = (end < 0 ? text.slice(i) : text.slice(i, end)).trim();
    i = end < 0 ? text.length : end + 1;
    if (content === marker || end < 0) break;
    lines++;
  }
  return { marker, end: i, lines };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 0;
  let i = 0;
  const push = (kind: TokenKind, value: string, at = line) => {
    if (tokens.length >= MAX_TOKENS) throw new HclError('too many tokens');
    tokens.push({ kind, text: value, line: at });
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      push('newline', '\n');
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
      i = stop;
    } else if (c === '"') {
      const string = scanString(text, i, line);
      push('string', text.slice(i, string.end), line);
      i = string.end;
      line = string.line;
    } else if (c === '<' && text[i + 1] === '<') {
      // A heredoc: skipped to its closing marker, its value unknown.
      const heredoc = scanHeredoc(text, i);
      if (!heredoc) {
        push('other', '<<');
        i += 2;
        continue;
      }
      push('heredoc', heredoc.marker, line);
      line += heredoc.lines;
      // The newline after the marker ends the attribute.
      push('newline', '\n');
      line++;
      i = heredoc.end;
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_-]/.test(text[i])) i++;
      push('ident', text.slice(start, i));
    } else if (/[0-9]/.test(c)) {
      const start = i;
      while (i < text.length && /[0-9.eE+-]/.test(text[i])) i++;
      push('number', text.slice(start, i));
    } else if ('{}[]()=,:'.includes(c)) {
      push('punct', c);
      i++;
    } else {
      push('other', c);
      i++;
    }
  }
  return tokens;
}

class Parser {
  private at = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  /** Whether every token was read. */
  done(): boolean {
    return this.at >= this.tokens.length;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset];
  }

  private skipNewlines(): void {
    while (this.peek()?.kind === 'newline') this.at++;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new HclError('nested too deeply');
  }

  body(closing: boolean): HclBody {
    const body: HclBody = { attributes: [], blocks: [] };
    for (;;) {
      this.skipNewlines();
      const token = this.peek();
      if (!token) {
        if (closing) throw new HclError('a block is not closed');
        return body;
      }
      if (token.kind === 'punct' && token.text === '}') {
        if (!closing) throw new HclError(`unexpected } on line ${token.line + 1}`);
        this.at++;
        return body;
      }
      if (token.kind !== 'ident') {
        throw new HclError(`unexpected ${JSON.stringify(token.text)} on line ${token.line + 1}`);
      }
      const next = this.peek(1);
      if (next?.kind === 'punct' && (next.text === '=' || next.text === ':')) {
        this.at += 2;
        body.attributes.push({ name: token.text, value: this.expression(), line: token.line });
        this.endOfItem();
        continue;
      }
      this.at++;
      const labels: string[] = [];
      for (;;) {
        const label = this.peek();
        if (label?.kind === 'string') labels.push(unquote(label.text));
        else if (label?.kind === 'ident') labels.push(label.text);
        else break;
        this.at++;
      }
      const open = this.peek();
      if (open?.kind !== 'punct' || open.text !== '{') {
        throw new HclError(`expected { on line ${(open ?? token).line + 1}`);
      }
      this.at++;
      this.enter();
      body.blocks.push({ type: token.text, labels, body: this.body(true), line: token.line });
      this.depth--;
    }
  }

  /** After an attribute: a newline, the end, or the closing brace of the block. */
  private endOfItem(): void {
    const token = this.peek();
    if (!token || token.kind === 'newline') return;
    if (token.kind === 'punct' && token.text === '}') return;
    // More of an expression this subset does not read: skip to the end of the line.
    this.skipExpressionRest();
  }

  /** Skips tokens to the end of the current expression (a newline, `,` or bracket at depth 0). */
  private skipExpressionRest(): void {
    let depth = 0;
    for (;;) {
      const token = this.peek();
      if (!token) return;
      if (token.kind === 'punct') {
        if ('{[('.includes(token.text)) depth++;
        else if ('}])'.includes(token.text)) {
          if (depth === 0) return;
          depth--;
        } else if (token.text === ',' && depth === 0) return;
      } else if (token.kind === 'newline' && depth === 0) return;
      this.at++;
    }
  }

  expression(): HclExpression {
    const value = this.primary();
    const next = this.peek();
    // An operator, a call, a conditional or an index after the value: not in the subset.
    if (next && next.kind !== 'newline' && !(next.kind === 'punct' && ',}])'.includes(next.text))) {
      this.skipExpressionRest();
      return { kind: 'unknown' };
    }
    return value;
  }

  private primary(): HclExpression {
    this.skipNewlines();
    const token = this.peek();
    if (!token) throw new HclError('an attribute has no value');
    if (token.kind === 'string') {
      this.at++;
      return { kind: 'template', raw: token.text.slice(1, -1) };
    }
    if (token.kind === 'number') {
      this.at++;
      const value = Number(token.text);
      return Number.isFinite(value) ? { kind: 'literal', value } : { kind: 'unknown' };
    }
    if (token.kind === 'heredoc') {
      this.at++;
      return { kind: 'unknown' };
    }
    if (token.kind === 'ident') {
      this.at++;
      if (token.text === 'true' || token.text === 'false') {
        return { kind: 'literal', value: token.text === 'true' };
      }
      if (token.text === 'null') return { kind: 'literal', value: null };
      const next = this.peek();
      if (next?.kind === 'punct' && next.text === '(') return this.call(token.text);
      return { kind: 'reference', name: token.text };
    }
    if (token.kind === 'punct' && token.text === '[') return this.list();
    if (token.kind === 'punct' && token.text === '{') return this.object();
    this.skipExpressionRest();
    return { kind: 'unknown' };
  }

  /** A call: `(` (the current token), its arguments, `)`. */
  private call(name: string): HclExpression {
    this.at++;
    this.enter();
    const args: HclExpression[] = [];
    let unknown = false;
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (!t) throw new HclError('a call is not closed');
      if (t.kind === 'punct' && t.text === ')') {
        this.at++;
        break;
      }
      const arg = this.expression();
      // `f(list...)` expands a list into arguments: not followed.
      if (arg.kind === 'unknown') unknown = true;
      args.push(arg);
      this.skipNewlines();
      const sep = this.peek();
      if (sep?.kind === 'punct' && sep.text === ',') this.at++;
      else if (!(sep?.kind === 'punct' && sep.text === ')')) {
        unknown = true;
        this.skipExpressionRest();
      }
    }
    this.depth--;
    return unknown ? { kind: 'unknown' } : { kind: 'call', name, args };
  }

  /** A list: `[` (the current token), its items, `]`. */
  private list(): HclExpression {
    this.at++;
    this.enter();
    const items: HclExpression[] = [];
    let unknown = false;
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (!t) throw new HclError('a list is not closed');
      if (t.kind === 'punct' && t.text === ']') {
        this.at++;
        break;
      }
      if (t.kind === 'ident' && t.text === 'for') unknown = true;
      items.push(this.expression());
      this.skipNewlines();
      const sep = this.peek();
      if (sep?.kind === 'punct' && sep.text === ',') this.at++;
    }
    this.depth--;
    return unknown ? { kind: 'unknown' } : { kind: 'list', items };
  }

  /** An object: `{` (the current token), its entries, `}`. */
  private object(): HclExpression {
    this.at++;
    this.enter();
    const entries: { key: string; value: HclExpression }[] = [];
    let unknown = false;
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (!t) throw new HclError('an object is not closed');
      if (t.kind === 'punct' && t.text === '}') {
        this.at++;
        break;
      }
      const sep = this.peek(1);
      if (
        (t.kind === 'ident' || t.kind === 'string') &&
        sep?.kind === 'punct' &&
        (sep.text === '=' || sep.text === ':')
      ) {
        this.at += 2;
        const key = t.kind === 'string' ? unquote(t.text) : t.text;
        entries.push({ key, value: this.expression() });
      } else {
        // A computed key or a `for` expression.
        unknown = true;
        this.skipExpressionRest();
        if (this.peek()?.kind === 'newline') this.at++;
      }
      this.skipNewlines();
      const comma = this.peek();
      if (comma?.kind === 'punct' && comma.text === ',') this.at++;
    }
    this.depth--;
    return unknown ? { kind: 'unknown' } : { kind: 'object', entries };
  }
}

/** A quoted HCL string token's text without quotes and escapes (for labels and keys). */
function unquote(token: string): string {
  return token
    .slice(1, -1)
    .replace(/\\(["\\nrt])/g, (_, c: string) =>
      c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c,
    );
}

/** Parses HCL text (the subset above). Throws HclError on text it cannot read at all. */
export function parseHcl(text: string): HclBody {
  return new Parser(tokenize(text)).body(false);
}

/** One expression that is the whole text (a template's interpolation), or undefined. */
export function parseExpression(text: string): HclExpression | undefined {
  try {
    const tokens = tokenize(text).filter((t) => t.kind !== 'newline');
    const parser = new Parser(tokens);
    const expression = parser.expression();
    return parser.done() ? expression : undefined;
  } catch (error) {
    if (error instanceof HclError) return undefined;
    throw error;
  }
}
