/**
 * Dockerfile variable substitution (`$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}`) over a
 * scope of known values. A value of `null` means "declared, but set only at build time"
 * (`ARG VERSION` with no default): it cannot be resolved here.
 */

export type Scope = ReadonlyMap<string, string | null>;

export interface Expansion {
  /** The text with every resolvable reference replaced. */
  value: string;
  /** False when some reference could not be resolved (its text is kept as written). */
  complete: boolean;
  /** Names referenced, resolved or not. */
  names: string[];
}

/** Whether a character may start a variable name (`A-Z`, `a-z`, `_`); false past the end. */
export function isNameStart(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '_');
}

/** Whether a character may continue a variable name (a letter, digit or `_`). */
export function isNameChar(c: string | undefined): boolean {
  return isNameStart(c) || (c !== undefined && c >= '0' && c <= '9');
}

/**
 * Expands the variable references in `text` using `scope`. Names missing from the scope are
 * unresolved unless a `:-`/`-` default or a `:+`/`+` alternative settles them.
 */
export function expand(text: string, scope: Scope): Expansion {
  // Most words reference nothing: they are their own value.
  if (!text.includes('$')) return { value: text, complete: true, names: [] };
  let value = '';
  let complete = true;
  const names: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '$') {
      value += '$';
      i += 2;
      continue;
    }
    if (c !== '$') {
      // Up to the next `$` (or the `\` before it) in one piece.
      let next = text.indexOf('$', i + 1);
      if (next < 0) next = text.length;
      else if (text[next - 1] === '\\') next--;
      value += text.slice(i, Math.max(next, i + 1));
      i = Math.max(next, i + 1);
      continue;
    }
    if (text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close < 0) {
        value += text.slice(i);
        complete = false;
        break;
      }
      const body = text.slice(i + 2, close);
      let nameEnd = 0;
      while (nameEnd < body.length && isNameChar(body[nameEnd])) nameEnd++;
      const name = body.slice(0, nameEnd);
      const rest = body.slice(nameEnd);
      names.push(name);
      const known = scope.has(name) ? scope.get(name) : undefined;
      const resolved = resolveModifier(known, rest);
      if (resolved === undefined || name === '') {
        value += text.slice(i, close + 1);
        complete = false;
      } else {
        value += resolved;
      }
      i = close + 1;
      continue;
    }
    if (i + 1 < text.length && isNameStart(text[i + 1])) {
      let end = i + 1;
      while (end < text.length && isNameChar(text[end])) end++;
      const name = text.slice(i + 1, end);
      names.push(name);
      const known = scope.get(name);
      if (typeof known === 'string') value += known;
      else {
        value += text.slice(i, end);
        complete = false;
      }
      i = end;
      continue;
    }
    value += c;
    i++;
  }
  return { value, complete, names };
}

/** Applies `:-word`, `-word`, `:+word`, `+word` to a looked-up value; undefined = unknown. */
function resolveModifier(known: string | null | undefined, rest: string): string | undefined {
  if (rest === '') return typeof known === 'string' ? known : undefined;
  const colon = rest.startsWith(':');
  const op = colon ? rest[1] : rest[0];
  const word = rest.slice(colon ? 2 : 1);
  if (op === '-') {
    if (typeof known === 'string' && (!colon || known !== '')) return known;
    if (known === undefined) return word;
    // Declared without a default: the build may or may not pass a value.
    return undefined;
  }
  if (op === '+') {
    if (typeof known === 'string') return !colon || known !== '' ? word : '';
    if (known === undefined) return '';
    return undefined;
  }
  return undefined;
}
