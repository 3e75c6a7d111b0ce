/**
 * Functions in a Go package's non-test files that the program never runs: fuzz harnesses
 * (`func FuzzRender(data []byte) int`, go-fuzz's and OSS-Fuzz's entry points) and test helpers
 * (a parameter of package testing's types: `func AtomicWrite(t *testing.T, …)`, shared by the
 * package's tests). What their bodies write or read is not the program's.
 */
import { tokenText, type Token } from './go-tokens';

const TESTING_TYPES = new Set(['T', 'TB', 'B', 'F']);

/** The bodies of those functions, by the token index of their `{`: the index of their `}`. */
export function bodiesNotRun(tokens: Token[], from: number): Map<number, number> {
  const bodies = new Map<number, number>();
  let depth = 0;
  for (let k = from; k < tokens.length; k++) {
    const t = tokens[k];
    const text = tokenText(t);
    if (text === '(' || text === '[' || text === '{') depth++;
    else if (text === ')' || text === ']' || text === '}') depth--;
    if (depth !== 0 || t.kind !== 'ident' || t.text !== 'func') continue;
    const name = tokens[k + 1];
    const fuzz = name?.kind === 'ident' && /^Fuzz[A-Z0-9_]/.test(name.text);
    // The body: the first `{` after the signature's brackets close, to its match.
    let open = k + 1;
    let nested = 0;
    let helper = false;
    for (; open < tokens.length; open++) {
      const x = tokenText(tokens[open]);
      if (x === '{' && nested === 0) break;
      if (x === '(' || x === '[') nested++;
      else if (x === ')' || x === ']') nested--;
      else if (
        x === 'testing' &&
        tokenText(tokens[open + 1]) === '.' &&
        TESTING_TYPES.has(tokenText(tokens[open + 2]) ?? '')
      ) {
        helper = true;
      }
    }
    if (!fuzz && !helper) continue;
    let level = 0;
    for (let close = open; close < tokens.length; close++) {
      const x = tokenText(tokens[close]);
      if (x === '{' || x === '(' || x === '[') level++;
      else if (x === '}' || x === ')' || x === ']') level--;
      if (level === 0) {
        bodies.set(open, close);
        k = close;
        break;
      }
    }
  }
  return bodies;
}
