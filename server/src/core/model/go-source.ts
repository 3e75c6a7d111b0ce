/**
 * A small, linear scanner of Go source files: the package clause, the imports (with the cgo
 * preamble of `import "C"`), the build constraint and `//go:embed` lines, and every call with
 * what each argument is (a string literal, a literal prefix such as `"./data/" + name`, or
 * something else), plus the string literals of keyed fields (`Filename: "app.log"`).
 *
 * It is not a Go parser: it reads tokens and brackets, which is enough to see which files a
 * program opens, creates or names, whether it uses cgo, and which packages it imports — what a
 * conversion to multi-stage needs to carry a program's files to the runtime image. Malformed
 * input gives partial facts, never an exception. Computed on each call (program-sources.ts caches
 * the files it reads per model). Tokens are in go-tokens.ts, declarations in go-declarations.ts.
 */
import { readDeclarations, type GoDeclaration } from './go-declarations';
import { tokenize, tokenText, type Comment, type Token } from './go-tokens';
import { bodiesNotRun } from './go-test-bodies';
import { plusBuildExpression } from './go-build-constraint';

/** One argument of a call, as far as the scanner can tell. */
export interface GoArgument {
  /** The argument is exactly one string literal: its value. */
  literal?: string;
  /** The argument is exactly one identifier (a constant or variable, maybe a string's name). */
  identifier?: string;
  /** The argument starts with a string literal (`"./data/" + id`): that literal. */
  prefix?: string;
  /** The argument's source text, cut at 200 characters (for flags such as `os.O_CREATE`). */
  text: string;
}

/** A call expression. */
export interface GoCallSite {
  /**
   * `importpath.Name` for a function of an imported package (`os.Create`), `.Name` for a method
   * or a function of an unknown qualifier (`c.SaveUploadedFile`), `Name` for a local function.
   */
  callee: string;
  args: GoArgument[];
  /** Zero-based line of the callee. */
  line: number;
}

/** A string literal, with where it stands. */
export interface GoStringLiteral {
  value: string;
  line: number;
  /** The call it is an argument of (anywhere inside the argument), if any. */
  callee?: string;
  /** The keyed field it is the value of (`Filename: "app.log"`), if any. */
  key?: string;
  /** It is a whole argument of the call (`os.Open("a.txt")`, not `os.Open(dir + "a.txt")`). */
  whole: boolean;
  /** It is joined to something made at run time (`host + ":80"`, `name + ".tmp"`, `addr += ":53"`). */
  joined?: boolean;
  /** It is compared with a value (`r.URL.Path == "/index.html"`, `case "/health":`). */
  compared?: boolean;
  /** For a whole argument: its position among the call's arguments, from 0. */
  argument?: number;
}

export interface GoFileFacts {
  packageName?: string;
  /** Names given a string literal (`path := "conf/app.ini"`, `const a = "x"`): the last wins. */
  strings: Map<string, string>;
  /** Names given a literal joined to more (`name := "test." + ext`): the string they start with. */
  prefixes: Map<string, string>;
  /** Import paths, in order. */
  imports: string[];
  /** `import "C"`: the file is compiled by cgo. */
  importsC: boolean;
  /** Libraries named with `-l` in the cgo preamble's `#cgo LDFLAGS:` lines, and pkg-config names. */
  cgoLibraries: string[];
  /** `//go:build ignore` (or `// +build ignore`): not part of any build. */
  ignored: boolean;
  /**
   * The file's build constraint as a `//go:build` expression (its `// +build` lines turned into
   * one when it has only those), when it has one above the package clause.
   */
  buildConstraint?: string;
  /** The patterns of `//go:embed` lines: those files are inside the binary. */
  embeds: string[];
  calls: GoCallSite[];
  literals: GoStringLiteral[];
  /** Package-level declarations (`var`, `const`, `func`, `type`), by name: the first one wins. */
  declarations: Map<string, GoDeclaration>;
  /**
   * Why the file is not Go the go command would compile, when the scanner can tell: it has no
   * package clause, or its brackets do not match. Its other facts are partial.
   */
  malformed?: string;
}

const CLOSING: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

const KEYWORDS = new Set([
  'break',
  'case',
  'chan',
  'const',
  'continue',
  'default',
  'defer',
  'else',
  'fallthrough',
  'for',
  'func',
  'go',
  'goto',
  'if',
  'import',
  'interface',
  'map',
  'package',
  'range',
  'return',
  'select',
  'struct',
  'switch',
  'type',
  'var',
]);

interface Open {
  bracket: '(' | '[' | '{';
  /** For a call's parenthesis: the callee and the index of its first argument token. */
  call?: { callee: string; line: number; argStart: number; commas: number };
  /** The key of the composite-literal element being read (`Key:` seen at this depth). */
  key?: string;
}

/** Reads the import declarations that follow the package clause. */
function readImports(
  tokens: Token[],
  from: number,
  facts: GoFileFacts,
  aliases: Map<string, string>,
) {
  let i = from;
  const importOne = (at: number): number => {
    let alias: string | undefined;
    let t = tokens[at];
    if (t?.kind === 'ident' || (t?.kind === 'punct' && t.text === '.')) {
      alias = t.kind === 'ident' ? t.text : '.';
      t = tokens[++at];
    }
    if (t?.kind !== 'string') return at + 1;
    const path = t.value;
    facts.imports.push(path);
    if (path === 'C') facts.importsC = true;
    const name =
      alias ?? path.slice(path.lastIndexOf('/') + 1).replace(/^go-|[.-]v\d+$|\.go$/g, '');
    if (alias !== '_' && alias !== '.') aliases.set(name, path);
    // A major-version suffix (`/v2`) is not the package name: Go uses the element before it.
    if (alias === undefined && /^v\d+$/.test(name)) {
      const parts = path.split('/');
      aliases.set(parts[parts.length - 2] ?? name, path);
    }
    return at + 1;
  };
  while (tokens[i]?.kind === 'ident' && tokenText(tokens[i]) === 'import') {
    const next = tokens[i + 1];
    if (next?.kind === 'punct' && next.text === '(') {
      i += 2;
      while (i < tokens.length && !(tokens[i].kind === 'punct' && tokenText(tokens[i]) === ')')) {
        const t = tokens[i];
        if (t.kind === 'punct' && t.text === ';') {
          i++;
          continue;
        }
        i = importOne(i);
      }
      i++;
    } else {
      i = importOne(i + 1);
    }
    while (tokens[i]?.kind === 'punct' && tokenText(tokens[i]) === ';') i++;
  }
  return i;
}

/** The cgo preamble's libraries: `#cgo LDFLAGS: -lsqlite3`, `#cgo linux pkg-config: vips`. */
function cgoLibraries(preamble: string): string[] {
  const libraries: string[] = [];
  for (const raw of preamble.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('#cgo')) continue;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    // `#cgo [GOOS/GOARCH constraints] NAME: values`: NAME is the last word before the colon.
    const words = line.slice(4, colon).trim().split(/\s+/);
    const name = words[words.length - 1];
    const values = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    for (const word of values) {
      if (name === 'pkg-config') {
        if (word && !word.startsWith('-')) libraries.push(word);
      } else if (name === 'LDFLAGS' && word.startsWith('-l') && word.length > 2) {
        libraries.push(word.slice(2));
      }
    }
  }
  return libraries;
}

/**
 * Build constraints (the one above the package clause at `packageLine`, and whether one excludes
 * the file from every build) and `//go:embed` patterns, from the file's line comments.
 */
function readDirectives(comments: Comment[], packageLine: number, facts: GoFileFacts) {
  let goBuild: string | undefined;
  const plusBuild: string[] = [];
  for (const comment of comments) {
    const body = comment.text;
    if (/^go:build\s/.test(body) || /^\s*\+build\s/.test(body)) {
      if (/(^|[\s!(&|,])ignore($|[\s)&|,])/.test(body.replace(/!ignore/g, ''))) {
        facts.ignored = true;
      }
      if (comment.endLine !== comment.line || comment.line >= packageLine) continue;
      if (body.startsWith('go:build')) goBuild ??= body.slice('go:build'.length).trim();
      else plusBuild.push(body.trim().slice('+build'.length));
    } else if (body.startsWith('go:embed ')) {
      facts.embeds.push(...body.slice('go:embed '.length).trim().split(/\s+/).filter(Boolean));
    }
  }
  // Since Go 1.17 a //go:build line decides, and // +build lines count only without one.
  if (goBuild !== undefined) facts.buildConstraint = goBuild;
  else if (plusBuild.length > 0) facts.buildConstraint = plusBuildExpression(plusBuild);
}

/** The libraries of the cgo preamble: the comment right above `import "C"`. */
function readCgoPreamble(tokens: Token[], comments: Comment[], facts: GoFileFacts) {
  const importC = tokens.find((t) => t.kind === 'string' && t.value === 'C');
  if (!importC) return;
  const above = comments.filter(
    (c) => c.endLine === importC.line - 1 || c.endLine === importC.line,
  );
  facts.cgoLibraries.push(...cgoLibraries(above.map((c) => c.text).join('\n')));
}

/** Scans one Go source file. */
export function scanGoFile(text: string): GoFileFacts {
  const facts: GoFileFacts = {
    strings: new Map(),
    prefixes: new Map(),
    imports: [],
    importsC: false,
    cgoLibraries: [],
    ignored: false,
    embeds: [],
    calls: [],
    literals: [],
    declarations: new Map(),
  };
  const { tokens, comments } = tokenize(text);
  const packageClause = tokens[0]?.kind === 'ident' && tokens[0].text === 'package';
  readDirectives(comments, packageClause ? tokens[0].line : Infinity, facts);
  let i = 0;
  if (tokens[0]?.kind === 'ident' && tokens[0].text === 'package') {
    const name = tokens[1];
    if (name?.kind === 'ident') facts.packageName = name.text;
    i = 2;
    while (tokens[i]?.kind === 'punct' && tokenText(tokens[i]) === ';') i++;
  }
  const aliases = new Map<string, string>();
  const afterImports = readImports(tokens, i, facts, aliases);
  if (facts.importsC) readCgoPreamble(tokens, comments, facts);
  readDeclarations(tokens, afterImports, facts.declarations);
  const scope = {
    imports: aliases,
    values: functionValues(facts.declarations, aliases),
    harnesses: bodiesNotRun(tokens, afterImports),
  };
  const balanced = readCallsAndLiterals(text, tokens, afterImports, scope, facts);
  if (facts.packageName === undefined) facts.malformed = 'no package clause';
  else if (!balanced) facts.malformed = 'brackets that do not match';
  return facts;
}

/** What the scanner tells of one call argument from its tokens. */
function argumentOf(text: string, tokensOfArg: Token[]): GoArgument {
  const first = tokensOfArg[0];
  const end = tokensOfArg[tokensOfArg.length - 1].end;
  const argument: GoArgument = {
    text: text.slice(first.start, Math.min(end, first.start + 200)),
  };
  if (first.kind === 'string') {
    if (tokensOfArg.length === 1) argument.literal = first.value;
    else argument.prefix = first.value;
  } else if (first.kind === 'ident' && tokensOfArg.length === 1) {
    argument.identifier = first.text;
  }
  return argument;
}

/**
 * Whether the token at `k` is compared with something (`path == "/index.html"`, `"/a" != p`,
 * `case "/health":`): such a string names nothing the program opens. The tokenizer gives `==`
 * and `!=` as two tokens.
 */
function comparedAt(tokens: Token[], k: number): boolean {
  const before = tokenText(tokens[k - 1]);
  if (before === 'case') return true;
  if (before === '=' && ['=', '!'].includes(tokenText(tokens[k - 2]) ?? '')) return true;
  return ['=', '!'].includes(tokenText(tokens[k + 1]) ?? '') && tokenText(tokens[k + 2]) === '=';
}

/** A string literal at `k`: named (`name = "value"`) and recorded with where it stands. */
function readLiteral(tokens: Token[], k: number, stack: Open[], facts: GoFileFacts) {
  const t = tokens[k];
  if (t.kind !== 'string') return;
  const top = stack[stack.length - 1];
  const before = tokenText(tokens[k - 1]);
  const after = tokenText(tokens[k + 1]);
  // `name = "value"`, `name := "value"` (`const name string = "value"`: the name is before the
  // type): a string given a name, or the start of one (`name := "test." + ext`).
  const typed = tokenText(tokens[k - 2]) === 'string' && tokens[k - 3]?.kind === 'ident';
  const named = typed ? tokens[k - 3] : tokens[k - 2];
  const names = after === '+' ? facts.prefixes : facts.strings;
  if (before === '=' && named?.kind === 'ident') names.set(named.text, t.value);
  if (before === '=' && tokenText(tokens[k - 2]) === ':' && tokens[k - 3]?.kind === 'ident') {
    names.set(tokenText(tokens[k - 3])!, t.value);
  }
  // `addr += ":53"` appends it to something made at run time, as `host + ":53"` does.
  const appended = before === '=' && tokenText(tokens[k - 2]) === '+';
  const whole =
    top?.call !== undefined &&
    (before === '(' || before === ',') &&
    (after === ')' || after === ',');
  facts.literals.push({
    value: t.value,
    line: t.line,
    callee: innermostCall(stack)?.callee,
    key: top?.bracket === '{' ? top.key : undefined,
    whole,
    ...(before === '+' || after === '+' || appended ? { joined: true } : {}),
    ...(comparedAt(tokens, k) ? { compared: true } : {}),
    ...(whole ? { argument: top.call!.commas } : {}),
  });
}

/** How the file's names resolve: import names to paths, function values to what they hold. */
interface NameScope {
  imports: Map<string, string>;
  /** Package-level vars holding an imported function (`var mkdirAll = os.MkdirAll`): its callee. */
  values: Map<string, string>;
  /** Bodies the program never runs (bodiesNotRun), by the index of their `{`: of their `}`. */
  harnesses: Map<number, number>;
}

function functionValues(
  declarations: Map<string, GoDeclaration>,
  imports: Map<string, string>,
): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, declaration] of declarations) {
    const ref = declaration.initRef;
    if (ref === undefined) continue;
    const dot = ref.indexOf('.');
    const path = imports.get(ref.slice(0, dot));
    if (path !== undefined) values.set(name, `${path}${ref.slice(dot)}`);
  }
  return values;
}

/** The call an opening parenthesis at `k` starts, when it is one (not `func f(`, not `if (`). */
function callOpenedAt(tokens: Token[], k: number, scope: NameScope): Open['call'] | undefined {
  const prev = tokens[k - 1];
  const declared = tokens[k - 2]?.kind === 'ident' && tokenText(tokens[k - 2]) === 'func';
  if (tokenText(tokens[k]) !== '(' || prev?.kind !== 'ident' || KEYWORDS.has(prev.text)) {
    return undefined;
  }
  if (declared) return undefined;
  const qualifier = tokens[k - 2];
  let callee = scope.values.get(prev.text) ?? prev.text;
  if (qualifier?.kind === 'punct' && qualifier.text === '.') {
    const owner = tokens[k - 3];
    const path = owner?.kind === 'ident' ? scope.imports.get(owner.text) : undefined;
    callee = path !== undefined ? `${path}.${prev.text}` : `.${prev.text}`;
  }
  return { callee, line: prev.line, argStart: k + 1, commas: 0 };
}

/**
 * Every call (with its arguments) and string literal after the imports, in one pass. False when
 * the brackets do not match.
 */
function readCallsAndLiterals(
  text: string,
  tokens: Token[],
  from: number,
  scope: NameScope,
  facts: GoFileFacts,
): boolean {
  const stack: Open[] = [];
  let balanced = true;
  for (let k = from; k < tokens.length; k++) {
    const skipTo = scope.harnesses.get(k);
    if (skipTo !== undefined) {
      k = skipTo;
      continue;
    }
    const t = tokens[k];
    const top = stack[stack.length - 1];
    if (t.kind === 'string') {
      readLiteral(tokens, k, stack, facts);
      continue;
    }
    if (t.kind !== 'punct') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') {
      stack.push({ bracket: t.text, call: callOpenedAt(tokens, k, scope) });
      continue;
    }
    if (t.text === ')' || t.text === ']' || t.text === '}') {
      const open = stack.pop();
      if (open?.bracket !== CLOSING[t.text]) balanced = false;
      if (open?.call) {
        // Arguments are read from the first tokens only, so that deeply nested calls stay
        // linear; a longer argument list keeps the arguments seen so far.
        const inside = tokens.slice(open.call.argStart, Math.min(k, open.call.argStart + 400));
        const args = splitArguments(inside)
          .filter((arg) => arg.length > 0)
          .map((arg) => argumentOf(text, arg));
        facts.calls.push({ callee: open.call.callee, args, line: open.call.line });
      }
      continue;
    }
    if (t.text === ':' && top?.bracket === '{') {
      const prev = tokens[k - 1];
      // `Key: value` in a composite literal; `name := value` declares a variable.
      if (prev?.kind === 'ident' && tokenText(tokens[k + 1]) !== '=') top.key = prev.text;
      continue;
    }
    if (t.text === ',' && top?.bracket === '{') top.key = undefined;
    else if (t.text === ',' && top?.call) top.call.commas++;
  }
  return balanced && stack.length === 0;
}

/** The nearest enclosing call, skipping brackets that are not calls. */
function innermostCall(stack: Open[]): Open['call'] {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i].call) return stack[i].call;
  return undefined;
}

/** Splits a call's tokens at its top-level commas. */
function splitArguments(tokens: Token[]): Token[][] {
  const args: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'punct') {
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
      else if (t.text === ',' && depth === 0) {
        args.push([]);
        continue;
      }
    }
    args[args.length - 1].push(t);
  }
  return args;
}
