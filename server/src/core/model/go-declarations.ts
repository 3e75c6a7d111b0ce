/**
 * The package-level declarations of a Go file (`var`, `const`, `func`, `type`), read from its
 * tokens by the scanner in go-source.ts: for a var or const, its type as written and what its
 * initializer is made of.
 */
import { tokenText, type Token } from './go-tokens';

/** A package-level name, as far as the scanner can tell. */
export interface GoDeclaration {
  kind: 'var' | 'const' | 'func' | 'type';
  /** Zero-based line of the name. */
  line: number;
  /** For a var or const: the declared type as written (`string`, `[]byte`), if any. */
  type?: string;
  /** For a var or const: the initializer holds a call (`os.Getenv("V")`, `fmt.Sprint(x)`). */
  initCall?: boolean;
  /** For a var or const: the initializer is made of string literals and `+` only. */
  initLiteral?: boolean;
  /** For a var or const: it has an initializer. */
  initialized?: boolean;
  /**
   * For a var: the initializer is a qualified name alone (`var mkdirAll = os.MkdirAll`, a function
   * kept as a value so tests can replace it), as `owner.Name`.
   */
  initRef?: string;
}

const isOpen = (t: Token | undefined) =>
  t?.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{');
const isClose = (t: Token | undefined) =>
  t?.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === '}');

/** `owner.Name`: a name, a dot, a name. */
function isQualifiedName([owner, dot, name]: Token[]): boolean {
  return owner.kind === 'ident' && tokenText(dot) === '.' && name.kind === 'ident';
}

/** Reads one `names [type] [= values]` spec from `at`; returns the index after it. */
function readSpec(
  tokens: Token[],
  out: Map<string, GoDeclaration>,
  kind: 'var' | 'const',
  at: number,
  groupEnd: (t: Token) => boolean,
): number {
  const names: Token[] = [];
  let i = at;
  while (tokens[i]?.kind === 'ident') {
    names.push(tokens[i]);
    if (tokenText(tokens[i + 1]) !== ',') {
      i++;
      break;
    }
    i += 2;
  }
  const line = tokens[i - 1]?.line ?? 0;
  let type = '';
  let initialized = false;
  let initCall = false;
  let initLiteral = true;
  // The initializer's first tokens, enough to tell `owner.Name` alone.
  const init: Token[] = [];
  let nested = 0;
  let last = tokens[i - 1];
  for (; i < tokens.length; i++) {
    const t = tokens[i];
    if (nested === 0 && (groupEnd(t) || (t.line > (last?.line ?? line) && !continues(last)))) {
      break;
    }
    if (nested === 0 && tokenText(t) === ';') {
      i++;
      break;
    }
    last = t;
    if (isOpen(t)) nested++;
    else if (isClose(t)) nested--;
    if (!initialized) {
      if (nested === 0 && tokenText(t) === '=') initialized = true;
      else if (t.kind !== 'string') type += tokenText(t) ?? '?';
      continue;
    }
    if (init.length < 4) init.push(t);
    const callee = tokens[i - 1];
    if (tokenText(t) === '(' && callee?.kind === 'ident' && callee.text !== 'func') {
      initCall = true;
    }
    if (!(t.kind === 'string' || tokenText(t) === '+' || tokenText(t) === ',')) {
      initLiteral = false;
    }
  }
  const initRef =
    kind === 'var' && names.length === 1 && init.length === 3 && isQualifiedName(init)
      ? `${tokenText(init[0])}.${tokenText(init[2])}`
      : undefined;
  for (const name of names) {
    if (name.kind !== 'ident' || out.has(name.text)) continue;
    out.set(name.text, {
      kind,
      line: name.line,
      type: type === '' ? undefined : type,
      initialized,
      initCall: initialized && initCall,
      initLiteral: initialized && initLiteral,
      ...(initRef !== undefined ? { initRef } : {}),
    });
  }
  return Math.max(i, at + 1);
}

/**
 * Reads the package-level declarations in one pass. Go ends a statement at a line break after a
 * name, literal or closing bracket; a spec of a `var (...)` group is read up to the line break
 * that leaves all its brackets closed.
 */
export function readDeclarations(tokens: Token[], from: number, out: Map<string, GoDeclaration>) {
  let depth = 0;
  let k = from;
  while (k < tokens.length) {
    const t = tokens[k];
    if (isOpen(t)) depth++;
    else if (isClose(t)) depth = Math.max(0, depth - 1);
    if (depth !== 0 || t.kind !== 'ident') {
      k++;
      continue;
    }
    const keyword = t.text;
    if (keyword === 'func') {
      const name = tokens[k + 1];
      // A method (`func (s *S) Name`) is not a package-level name.
      if (name?.kind === 'ident' && !out.has(name.text)) {
        out.set(name.text, { kind: 'func', line: name.line });
      }
      k++;
      continue;
    }
    if (keyword === 'type') {
      const name = tokens[k + 1];
      if (name?.kind === 'ident' && !out.has(name.text)) {
        out.set(name.text, { kind: 'type', line: name.line });
      }
      k++;
      continue;
    }
    if (keyword !== 'var' && keyword !== 'const') {
      k++;
      continue;
    }
    if (tokenText(tokens[k + 1]) === '(') {
      // A group: specs up to the closing parenthesis.
      let i = k + 2;
      const end = (x: Token) => x.kind === 'punct' && x.text === ')';
      while (i < tokens.length && !end(tokens[i])) {
        if (tokenText(tokens[i]) === ';' || tokens[i].kind !== 'ident') {
          i++;
          continue;
        }
        i = readSpec(tokens, out, keyword, i, end);
      }
      k = i + 1;
    } else {
      k = readSpec(tokens, out, keyword, k + 1, () => false);
    }
  }
}

/** Whether a line may go on after this token (Go inserts no semicolon after an operator). */
function continues(token: Token | undefined): boolean {
  if (token?.kind !== 'punct') return false;
  return !(token.text === ')' || token.text === ']' || token.text === '}');
}
