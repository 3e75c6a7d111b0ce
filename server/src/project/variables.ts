/**
 * Variables in build files: `${NAME}`, `${NAME:-default}`, `${NAME-default}` and `$NAME`. A
 * variable takes the value the file gives it (an assignment, make's `?=`, Bake's `variable`
 * default), else the default written where it is used; with neither it is unknown, and so is
 * everything written with it: build files are read, never run, and the environment of the
 * machine that runs them is not known.
 */

/** Values the file gives to variables; null for one it sets to something not known. */
export type VariableScope = ReadonlyMap<string, string | null>;

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * The text with its variables replaced, or null when one of them is unknown (or the text has a
 * command substitution or an expression that is not a plain variable). `$$` is a literal `$` where
 * the file format says so (compose).
 */
export function substitute(
  text: string,
  scope: VariableScope,
  options: { dollarEscape?: boolean } = {},
): string | null {
  if (!text.includes('$')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '$' && options.dollarEscape) {
      out += '$';
      i++;
      continue;
    }
    if (next === '{') {
      const close = text.indexOf('}', i + 2);
      if (close < 0) return null;
      const inner = text.slice(i + 2, close);
      const value = braced(inner, scope);
      if (value === null) return null;
      out += value;
      i = close;
      continue;
    }
    NAME.lastIndex = i + 1;
    const match = NAME.exec(text);
    if (!match) {
      // A lone `$` (at the end, before a blank) is itself.
      if (next === undefined || /[\s/:.,=-]/.test(next)) {
        out += '$';
        continue;
      }
      return null;
    }
    const value = scope.get(match[0]);
    if (value === undefined || value === null) return null;
    out += value;
    i += match[0].length;
  }
  return out;
}

/** The value of `${inner}`: a name, with `:-default` or `-default`; null when unknown. */
function braced(inner: string, scope: VariableScope): string | null {
  NAME.lastIndex = 0;
  const match = NAME.exec(inner);
  if (!match) return null;
  const name = match[0];
  const rest = inner.slice(name.length);
  const value = scope.get(name);
  if (rest === '') return value ?? null;
  const fallback = /^:?-/.exec(rest);
  if (!fallback) return null;
  const defaultText = rest.slice(fallback[0].length);
  if (value !== undefined && value !== null) {
    // `${NAME:-x}` takes x also when NAME is empty; `${NAME-x}` only when it is unset.
    return value === '' && fallback[0] === ':-' ? defaultText : value;
  }
  if (value === null) return null;
  return defaultText.includes('$') ? null : defaultText;
}
