/**
 * A small, linear scanner of Go source files: the package clause, the imports (with the cgo
 * preamble of `import "C"`), the `//go:build ignore` and `//go:embed` lines, and every call with
 * what each argument is (a string literal, a literal prefix such as `"./data/" + name`, or
 * something else), plus the string literals of keyed fields (`Filename: "app.log"`).
 *
 * It is not a Go parser: it reads tokens and brackets, which is enough to see which files a
 * program opens, creates or names, whether it uses cgo, and which packages it imports — what a
 * conversion to multi-stage needs to carry a program's files to the runtime image. Malformed
 * input gives partial facts, never an exception.
 */

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
}

export interface GoFileFacts {
  packageName?: string;
  /**
   * Names given a string literal (`const tokenFile = "token.tok"`, `path := "conf/app.ini"`,
   * `var ( a = "x" )`), by name: the last one written wins.
   */
  strings: Map<string, string>;
  /** Import paths, in order. */
  imports: string[];
  /** `import "C"`: the file is compiled by cgo. */
  importsC: boolean;
  /** Libraries named with `-l` in the cgo preamble's `#cgo LDFLAGS:` lines, and pkg-config names. */
  cgoLibraries: string[];
  /** `//go:build ignore` (or `// +build ignore`): not part of any build. */
  ignored: boolean;
  /** The patterns of `//go:embed` lines: those files are inside the binary. */
  embeds: string[];
  calls: GoCallSite[];
  literals: GoStringLiteral[];
  /** Package-level declarations (`var`, `const`, `func`, `type`), by name: the first one wins. */
  declarations: Map<string, GoDeclaration>;
}

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
}

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

type Token = { line: number; start: number; end: number } & (
  | { kind: 'ident'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'punct'; text: string }
  | { kind: 'other' }
);

interface Open {
  bracket: '(' | '[' | '{';
  /** For a call's parenthesis: the callee and the index of its first argument token. */
  call?: { callee: string; line: number; argStart: number };
  /** The key of the composite-literal element being read (`Key:` seen at this depth). */
  key?: string;
}

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
interface Comment {
  text: string;
  line: number;
  endLine: number;
}

/** Splits Go source into tokens and comments in one pass. */
function tokenize(text: string): { tokens: Token[]; comments: Comment[] } {
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
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\ufeff') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      let end = text.indexOf('\n', i);
      if (end < 0) end = n;
      comments.push({ text: text.slice(i + 2, end), line, endLine: line });
      i = end;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      let end = text.indexOf('*/', i + 2);
      if (end < 0) end = n;
      const body = text.slice(i + 2, end);
      let lines = 0;
      for (let k = 0; k < body.length; k++) if (body.charCodeAt(k) === 10) lines++;
      comments.push({ text: body, line, endLine: line + lines });
      line += lines;
      i = Math.min(n, end + 2);
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      tokens.push({
        kind: 'string',
        value: unescape(text.slice(i + 1, Math.min(j, n))),
        line,
        start: i,
        end: Math.min(j + 1, n),
      });
      i = Math.min(j + 1, n);
      continue;
    }
    if (c === '`') {
      let end = text.indexOf('`', i + 1);
      if (end < 0) end = n;
      const body = text.slice(i + 1, end);
      tokens.push({ kind: 'string', value: body.replace(/\r/g, ''), line, start: i, end: end + 1 });
      for (let k = 0; k < body.length; k++) if (body.charCodeAt(k) === 10) line++;
      i = Math.min(n, end + 1);
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      while (j < n && text[j] !== "'" && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      tokens.push({ kind: 'other', line, start: i, end: Math.min(j + 1, n) });
      i = Math.min(j + 1, n);
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text[j])) j++;
      tokens.push({ kind: 'ident', text: text.slice(i, j), line, start: i, end: j });
      i = j;
      continue;
    }
    if (c >= '0' && c <= '9') {
      let j = i + 1;
      while (j < n && (isIdentPart(text[j]) || text[j] === '.')) j++;
      tokens.push({ kind: 'other', line, start: i, end: j });
      i = j;
      continue;
    }
    tokens.push({ kind: 'punct', text: c, line, start: i, end: i + 1 });
    i++;
  }
  return { tokens, comments };
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

/** Scans one Go source file. */
export function scanGoFile(text: string): GoFileFacts {
  const facts: GoFileFacts = {
    strings: new Map(),
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
  // Build constraints and embeds are line comments.
  for (const comment of comments) {
    const body = comment.text;
    if (/^go:build\s/.test(body) || /^\s*\+build\s/.test(body)) {
      if (/(^|[\s!(&|,])ignore($|[\s)&|,])/.test(body.replace(/!ignore/g, ''))) {
        facts.ignored = true;
      }
    } else if (body.startsWith('go:embed ')) {
      facts.embeds.push(...body.slice('go:embed '.length).trim().split(/\s+/).filter(Boolean));
    }
  }
  let i = 0;
  if (tokens[0]?.kind === 'ident' && tokens[0].text === 'package') {
    const name = tokens[1];
    if (name?.kind === 'ident') facts.packageName = name.text;
    i = 2;
    while (tokens[i]?.kind === 'punct' && tokenText(tokens[i]) === ';') i++;
  }
  const aliases = new Map<string, string>();
  const afterImports = readImports(tokens, i, facts, aliases);
  if (facts.importsC) {
    // The preamble is the comment right above `import "C"`.
    const importC = tokens.find((t) => t.kind === 'string' && t.value === 'C');
    if (importC) {
      const above = comments.filter(
        (c) => c.endLine === importC.line - 1 || c.endLine === importC.line,
      );
      facts.cgoLibraries.push(...cgoLibraries(above.map((c) => c.text).join('\n')));
    }
  }

  readDeclarations(tokens, afterImports, facts.declarations);

  const stack: Open[] = [];
  const argumentOf = (tokensOfArg: Token[]): GoArgument => {
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
  };
  for (let k = afterImports; k < tokens.length; k++) {
    const t = tokens[k];
    const top = stack[stack.length - 1];
    if (t.kind === 'string') {
      const before = tokenText(tokens[k - 1]);
      const after = tokenText(tokens[k + 1]);
      // `name = "value"`, `name := "value"`: a string given a name.
      // (`const name string = "value"`: the name is before the type.)
      const typed = tokenText(tokens[k - 2]) === 'string' && tokens[k - 3]?.kind === 'ident';
      const named = typed ? tokens[k - 3] : tokens[k - 2];
      if (before === '=' && named?.kind === 'ident') facts.strings.set(named.text, t.value);
      if (before === '=' && tokenText(tokens[k - 2]) === ':' && tokens[k - 3]?.kind === 'ident') {
        facts.strings.set(tokenText(tokens[k - 3])!, t.value);
      }
      facts.literals.push({
        value: t.value,
        line: t.line,
        callee: innermostCall(stack)?.callee,
        key: top?.bracket === '{' ? top.key : undefined,
        whole:
          top?.call !== undefined &&
          (before === '(' || before === ',') &&
          (after === ')' || after === ','),
      });
      continue;
    }
    if (t.kind !== 'punct') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') {
      let call: Open['call'];
      const prev = tokens[k - 1];
      const declared = tokens[k - 2]?.kind === 'ident' && tokenText(tokens[k - 2]) === 'func';
      if (t.text === '(' && prev?.kind === 'ident' && !KEYWORDS.has(prev.text) && !declared) {
        const qualifier = tokens[k - 2];
        let callee = prev.text;
        if (qualifier?.kind === 'punct' && qualifier.text === '.') {
          const owner = tokens[k - 3];
          const path = owner?.kind === 'ident' ? aliases.get(owner.text) : undefined;
          callee = path !== undefined ? `${path}.${prev.text}` : `.${prev.text}`;
        }
        call = { callee, line: prev.line, argStart: k + 1 };
      }
      stack.push({ bracket: t.text, call });
      continue;
    }
    if (t.text === ')' || t.text === ']' || t.text === '}') {
      const open = stack.pop();
      if (open?.call) {
        // Arguments are read from the first tokens only, so that deeply nested calls stay
        // linear; a longer argument list keeps the arguments seen so far.
        const inside = tokens.slice(open.call.argStart, Math.min(k, open.call.argStart + 400));
        const args = splitArguments(inside)
          .filter((arg) => arg.length > 0)
          .map(argumentOf);
        facts.calls.push({ callee: open.call.callee, args, line: open.call.line });
      }
      continue;
    }
    if (t.text === ':' && top?.bracket === '{') {
      const prev = tokens[k - 1];
      if (prev?.kind === 'ident') top.key = prev.text;
      continue;
    }
    if (t.text === ',' && top?.bracket === '{') top.key = undefined;
  }
  return facts;
}

/**
 * Reads the package-level declarations in one pass. Go ends a statement at a line break after a
 * name, literal or closing bracket; a spec of a `var (...)` group is read up to the line break
 * that leaves all its brackets closed.
 */
function readDeclarations(tokens: Token[], from: number, out: Map<string, GoDeclaration>) {
  let depth = 0;
  let k = from;
  const isOpen = (t: Token | undefined) =>
    t?.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{');
  const isClose = (t: Token | undefined) =>
    t?.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === '}');
  /** Reads one `names [type] [= values]` spec from `at`; returns the index after it. */
  const readSpec = (kind: 'var' | 'const', at: number, groupEnd: (t: Token) => boolean) => {
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
      const callee = tokens[i - 1];
      if (tokenText(t) === '(' && callee?.kind === 'ident' && callee.text !== 'func') {
        initCall = true;
      }
      if (!(t.kind === 'string' || tokenText(t) === '+' || tokenText(t) === ',')) {
        initLiteral = false;
      }
    }
    for (const name of names) {
      if (name.kind !== 'ident' || out.has(name.text)) continue;
      out.set(name.text, {
        kind,
        line: name.line,
        type: type === '' ? undefined : type,
        initialized,
        initCall: initialized && initCall,
        initLiteral: initialized && initLiteral,
      });
    }
    return Math.max(i, at + 1);
  };
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
        i = readSpec(keyword, i, end);
      }
      k = i + 1;
    } else {
      k = readSpec(keyword, k + 1, () => false);
    }
  }
}

/** Whether a line may go on after this token (Go inserts no semicolon after an operator). */
function continues(token: Token | undefined): boolean {
  if (token?.kind !== 'punct') return false;
  return !(token.text === ')' || token.text === ']' || token.text === '}');
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

function tokenText(token: Token | undefined): string | undefined {
  return token && (token.kind === 'ident' || token.kind === 'punct') ? token.text : undefined;
}
