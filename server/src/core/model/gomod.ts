/**
 * The one reader of `go.mod`: the module path, the `go` and `toolchain` lines, the `require`
 * directives (with their `// indirect` mark), the `replace` directives and, for a go.work (the same grammar), its `use` directives. It follows Go's go.mod
 * grammar where the rules depend on it (quoted and unquoted paths, `verb ( … )` blocks, `//`
 * comments) and tolerates anything else: unknown or broken lines are skipped, never thrown on.
 * The model parses the document's go.mod once (`DockerfileModel.goMod`); go.mod files read from
 * the build context go through the same `parseGoMod`.
 */
import { GO_QUOTES, unquote } from '../text/quotes';

/** One module a `require` directive names. */
export interface GoModRequire {
  /** The module path (`github.com/acme/lib`), quotes removed. */
  path: string;
  /** The version as written (`v1.2.3`), when given. */
  version?: string;
  /** Marked `// indirect`. */
  indirect: boolean;
  /** Zero-based line of the directive (the block's line for a block entry). */
  line: number;
}

/** One `replace old [version] => new [version]` directive. */
export interface GoModReplace {
  /** The replaced module path. */
  path: string;
  version?: string;
  /** What it is replaced with: a module path or, when `local`, a directory. */
  target: string;
  targetVersion?: string;
  /** The target is a directory (`./lib`, `../x`, `/src/x`), as Go's `IsDirectoryPath` decides. */
  local: boolean;
  line: number;
}

export interface GoMod {
  /** The module path (`github.com/acme/app`), when declared. */
  module?: string;
  /** The `go` line's version as written (`1.22`, `1.22.3`, `1.21rc1`). */
  go?: string;
  /** Zero-based line of the `go` line, for messages. */
  goLine?: number;
  /** The `toolchain` line's version without its `go` prefix (`1.23.1`), when present. */
  toolchain?: string;
  /** Every `require`d module, direct and indirect, in order. */
  requires: GoModRequire[];
  /** Every `replace` directive, in order. */
  replaces: GoModReplace[];
  /** The folders a go.work's `use` directives name, as written (go.work shares the grammar). */
  uses: string[];
}

interface Line {
  tokens: string[];
  comment?: string;
}

/** Characters that end an unquoted token, as in Go's modfile lexer. */
const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',']);

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\v' || c === '\f';
}

/** A quoted token starting at `start`: its value (quotes removed) and the index after it. */
function quoted(line: string, start: number): { value: string; end: number } {
  const quote = line[start];
  let i = start + 1;
  while (i < line.length && line[i] !== quote) i += quote === '"' && line[i] === '\\' ? 2 : 1;
  const raw = line.slice(start, Math.min(i + 1, line.length));
  const value = unquote(raw, GO_QUOTES);
  return { value: quote === '"' ? value.replace(/\\(.)/g, '$1') : value, end: i + 1 };
}

/** Splits one line into tokens (`(`, `)` and `=>` on their own) and its `//` comment. */
function tokenizeLine(line: string): Line {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (isSpace(c)) {
      i++;
    } else if (line.startsWith('//', i)) {
      return { tokens, comment: line.slice(i + 2).trim() };
    } else if (c === '"' || c === '`') {
      const token = quoted(line, i);
      tokens.push(token.value);
      i = token.end;
    } else if (c === '(' || c === ')') {
      tokens.push(c);
      i++;
    } else if (line.startsWith('=>', i)) {
      tokens.push('=>');
      i += 2;
    } else {
      const start = i;
      while (i < line.length && !isSpace(line[i]) && !PUNCTUATION.has(line[i])) i++;
      if (i === start) i++;
      else tokens.push(line.slice(start, i));
    }
  }
  return { tokens };
}

/** Whether a replacement names a directory rather than a module (Go's `IsDirectoryPath`). */
export function isDirectoryPath(path: string): boolean {
  return (
    path === '.' ||
    path === '..' ||
    /^\.\.?[/\\]/.test(path) ||
    path.startsWith('/') ||
    path.startsWith('\\') ||
    /^[A-Za-z]:/.test(path)
  );
}

function isIndirect(comment: string | undefined): boolean {
  return comment !== undefined && /^indirect(?:;|$)/.test(comment);
}

/** Applies one directive (`verb args…`, a block's entry carrying its block's verb). */
function directive(result: GoMod, verb: string, args: string[], line: Line, lineNumber: number) {
  if (args.length === 0) return;
  if (verb === 'module') result.module = args[0];
  else if (verb === 'go') {
    result.go = args[0];
    result.goLine = lineNumber;
  } else if (verb === 'toolchain') {
    result.toolchain = args[0].startsWith('go') ? args[0].slice(2) : args[0];
  } else if (verb === 'require') {
    const [path, version] = args;
    result.requires.push({ path, version, indirect: isIndirect(line.comment), line: lineNumber });
  } else if (verb === 'use') {
    result.uses.push(args[0]);
  } else if (verb === 'replace') {
    const arrow = args.indexOf('=>');
    if (arrow < 1 || arrow + 1 >= args.length) return;
    const target = args[arrow + 1];
    result.replaces.push({
      path: args[0],
      version: arrow > 1 ? args[1] : undefined,
      target,
      targetVersion: args[arrow + 2],
      local: isDirectoryPath(target),
      line: lineNumber,
    });
  }
}

/** Verbs whose block form (`verb ( … )`) is read; the others' blocks are skipped. */
const BLOCK_VERBS = new Set(['require', 'replace', 'use']);

export function parseGoMod(text: string): GoMod {
  const result: GoMod = { requires: [], replaces: [], uses: [] };
  let block: string | undefined;
  text.split(/\r?\n/).forEach((raw, lineNumber) => {
    const line = tokenizeLine(raw);
    const tokens = line.tokens;
    if (tokens.length === 0) return;
    if (block !== undefined) {
      if (tokens[0] === ')') block = undefined;
      else if (BLOCK_VERBS.has(block)) directive(result, block, tokens, line, lineNumber);
      return;
    }
    const [verb, ...args] = tokens;
    if (args[0] === '(') {
      if (!args.includes(')')) block = verb;
      return;
    }
    directive(result, verb, args, line, lineNumber);
  });
  return result;
}

/** Whether a go.mod requires the module `path`, directly or indirectly. */
export function requiresModule(goMod: GoMod | undefined, path: string): boolean {
  return goMod?.requires.some((r) => r.path === path) ?? false;
}

/**
 * Modules that compile a set of root certificates into the binary, used when the system has
 * none (a scratch image): golang.org/x/crypto/x509roots/fallback and github.com/breml/rootcerts.
 */
export const EMBEDDED_ROOTS_MODULES: readonly string[] = [
  'golang.org/x/crypto/x509roots/fallback',
  'github.com/breml/rootcerts',
];

/** The binary name Go gives a package: the last path element that is not a major version. */
export function binaryNameOfImportPath(importPath: string): string | undefined {
  const parts = importPath.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0) return undefined;
  let name = parts[parts.length - 1];
  if (parts.length > 1 && /^v\d+$/.test(name)) name = parts[parts.length - 2];
  return name;
}

/**
 * Compares two Go versions (`1.22`, `1.22.0`, `1.21rc2`): negative when `a` is older. A missing
 * patch counts as `.0`; a pre-release sorts before its release.
 */
export function compareGoVersions(a: string, b: string): number {
  const parse = (v: string): number[] => {
    const match = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(rc|beta)(\d+))?/.exec(v);
    if (!match) return [0, 0, 0, 0, 0];
    const pre = match[4] === 'beta' ? 0 : match[4] === 'rc' ? 1 : 2;
    return [
      Number(match[1]),
      Number(match[2] ?? 0),
      Number(match[3] ?? 0),
      pre,
      Number(match[5] ?? 0),
    ];
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return 0;
}
