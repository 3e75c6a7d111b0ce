/**
 * A tolerant reader of `go.mod`: the module path, the `go` line and the `toolchain` line, with
 * comments, blocks and missing lines allowed. Only what the rules need is read.
 */

export interface GoMod {
  /** The module path (`github.com/acme/app`), when declared. */
  module?: string;
  /** The `go` line's version as written (`1.22`, `1.22.3`, `1.21rc1`). */
  go?: string;
  /** Zero-based line of the `go` line, for messages. */
  goLine?: number;
  /** The `toolchain` line's version without its `go` prefix (`1.23.1`), when present. */
  toolchain?: string;
}

function stripComment(line: string): string {
  const comment = line.indexOf('//');
  return (comment >= 0 ? line.slice(0, comment) : line).trim();
}

function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === '`') && text.endsWith(text[0])) {
    return text.slice(1, -1);
  }
  return text;
}

export function parseGoMod(text: string): GoMod {
  const result: GoMod = {};
  let inBlock = false;
  text.split(/\r?\n/).forEach((raw, lineNumber) => {
    const line = stripComment(raw);
    if (line === '') return;
    if (inBlock) {
      if (line.startsWith(')')) inBlock = false;
      return;
    }
    const space = line.search(/\s/);
    const keyword = space < 0 ? line : line.slice(0, space);
    const rest = space < 0 ? '' : line.slice(space).trim();
    if (rest.startsWith('(')) {
      inBlock = !rest.includes(')');
      return;
    }
    if (keyword === 'module' && rest !== '') result.module = unquote(rest.split(/\s+/)[0]);
    else if (keyword === 'go' && rest !== '') {
      result.go = rest.split(/\s+/)[0];
      result.goLine = lineNumber;
    } else if (keyword === 'toolchain' && rest !== '') {
      const name = rest.split(/\s+/)[0];
      result.toolchain = name.startsWith('go') ? name.slice(2) : name;
    }
  });
  return result;
}

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
