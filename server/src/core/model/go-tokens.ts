/**
 * Go source split into tokens and comments in one linear pass, for the scanner in go-source.ts:
 * identifiers, string literals (their values, escapes read), punctuation and anything else
 * (numbers, runes). Malformed input gives tokens up to where it breaks, never an exception.
 */

export type Token = { line: number; start: number; end: number } & (
  | { kind: 'ident'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'punct'; text: string }
  | { kind: 'other' }
);

const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/** The value of an interpreted string literal's body (between the quotes). */
function unescape(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const next = body[++i];
    if (next in ESCAPES) out += ESCAPES[next];
    else if (next === 'x' || next === 'u' || next === 'U') {
      const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const code = parseInt(body.slice(i + 1, i + 1 + width), 16);
      if (!Number.isNaN(code) && code <= 0x10ffff) out += String.fromCodePoint(code);
      i += width;
    } else if (next >= '0' && next <= '7') {
      out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8) & 0xff);
      i += 2;
    } else out += next;
  }
  return out;
}

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c > '\x7f';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}

/** Comment text with its line, for the cgo preamble and the //go: directives. */
export interface Comment {
  text: string;
  line: number;
  endLine: number;
}

function countNewlines(text: string): number {
  let lines = 0;
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) lines++;
  return lines;
}

/** The line or block comment starting at `i` (zero-based `line`), and the index after it. */
function commentAt(text: string, i: number, line: number): { comment: Comment; end: number } {
  const n = text.length;
  if (text[i + 1] === '/') {
    let end = text.indexOf('\n', i);
    if (end < 0) end = n;
    return { comment: { text: text.slice(i + 2, end), line, endLine: line }, end };
  }
  let end = text.indexOf('*/', i + 2);
  if (end < 0) end = n;
  const body = text.slice(i + 2, end);
  return {
    comment: { text: body, line, endLine: line + countNewlines(body) },
    end: Math.min(n, end + 2),
  };
}

/**
 * The literal starting with a quote at `i` (`"…"` and raw `` `…` `` strings, `'…'` runes), and
 * the line breaks inside it (only a raw string spans lines).
 */
function quotedAt(text: string, i: number, line: number): { token: Token; lines: number } {
  const n = text.length;
  const quote = text[i];
  if (quote === '`') {
    let end = text.indexOf('`', i + 1);
    if (end < 0) end = n;
    const body = text.slice(i + 1, end);
    const value = body.replace(/\r/g, '');
    return {
      token: { kind: 'string', value, line, start: i, end: end + 1 },
      lines: countNewlines(body),
    };
  }
  let j = i + 1;
  while (j < n && text[j] !== quote && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
  const end = Math.min(j + 1, n);
  if (quote === "'") return { token: { kind: 'other', line, start: i, end }, lines: 0 };
  const value = unescape(text.slice(i + 1, Math.min(j, n)));
  return { token: { kind: 'string', value, line, start: i, end }, lines: 0 };
}

/** The end of the identifier or number starting at `i`. */
function wordEnd(text: string, i: number, number: boolean): number {
  let j = i + 1;
  while (j < text.length && (isIdentPart(text[j]) || (number && text[j] === '.'))) j++;
  return j;
}

/** Splits Go source into tokens and comments in one pass. */
export function tokenize(text: string): { tokens: Token[]; comments: Comment[] } {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  let line = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\ufeff') {
      i++;
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const { comment, end } = commentAt(text, i, line);
      comments.push(comment);
      line = comment.endLine;
      i = end;
    } else if (c === '"' || c === '`' || c === "'") {
      const { token, lines } = quotedAt(text, i, line);
      tokens.push(token);
      line += lines;
      i = Math.min(n, token.end);
    } else if (isIdentStart(c)) {
      const j = wordEnd(text, i, false);
      tokens.push({ kind: 'ident', text: text.slice(i, j), line, start: i, end: j });
      i = j;
    } else if (c >= '0' && c <= '9') {
      const j = wordEnd(text, i, true);
      tokens.push({ kind: 'other', line, start: i, end: j });
      i = j;
    } else {
      tokens.push({ kind: 'punct', text: c, line, start: i, end: i + 1 });
      i++;
    }
  }
  return { tokens, comments };
}

/** The text of an identifier or punctuation token. */
export function tokenText(token: Token | undefined): string | undefined {
  return token && (token.kind === 'ident' || token.kind === 'punct') ? token.text : undefined;
}
