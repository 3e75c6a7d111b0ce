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
