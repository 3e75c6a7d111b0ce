/**
 * Quotes around a whole value. `unquote` drops one pair of matching quotes around the entire
 * text and leaves anything else as written (no escapes are read, no inner quotes are removed).
 */

/** Shell-style quotes (`"x"`, `'x'`); Go's string literals use `"` and backquotes. */
export const SHELL_QUOTES = `"'`;
export const GO_QUOTES = '"`';

/** The text without one pair of matching quotes around it (any of `quotes`), else as is. */
export function unquote(text: string, quotes: string = SHELL_QUOTES): string {
  if (text.length >= 2 && quotes.includes(text[0]) && text.endsWith(text[0])) {
    return text.slice(1, -1);
  }
  return text;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/**
 * Splits a flag list as cmd/go does (`quoted.Split`, used for -ldflags, -gcflags, GOFLAGS values
 * of go build): fields at blanks, a field that starts with `'` or `"` runs to the same quote
 * (no escapes), quotes inside a field are kept. Undefined when a quote is left open.
 */
export function splitQuotedFields(text: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (isSpace(text[i])) {
      i++;
      continue;
    }
    if (text[i] === '"' || text[i] === "'") {
      const close = text.indexOf(text[i], i + 1);
      if (close < 0) return undefined;
      fields.push(text.slice(i + 1, close));
      i = close + 1;
      continue;
    }
    let end = i;
    while (end < text.length && !isSpace(text[end])) end++;
    fields.push(text.slice(i, end));
    i = end;
  }
  return fields;
}
