/**
 * Go's build constraints: the `//go:build` expression of a file (or its older `// +build` lines,
 * turned into one) and the `_GOOS_GOARCH` suffix of its name, evaluated for a build in
 * three-valued logic: a tag the build does not settle (GOARCH when not set, a `-tags` value
 * from a variable) is unknown, and so is what depends on it. Malformed input is unknown, never
 * an exception.
 */
import { basename } from '../text/posix-path';

/** The GOOS values Go knows (go/build's knownOS). */
const KNOWN_OS = new Set([
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'hurd',
  'illumos',
  'ios',
  'js',
  'linux',
  'nacl',
  'netbsd',
  'openbsd',
  'plan9',
  'solaris',
  'wasip1',
  'windows',
  'zos',
]);

/** The GOOS values the `unix` tag stands for. */
const UNIX_OS = new Set([
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'hurd',
  'illumos',
  'ios',
  'linux',
  'netbsd',
  'openbsd',
  'solaris',
]);

/** The GOARCH values Go knows (go/build's knownArch). */
const KNOWN_ARCH = new Set([
  '386',
  'amd64',
  'amd64p32',
  'arm',
  'armbe',
  'arm64',
  'arm64be',
  'loong64',
  'mips',
  'mipsle',
  'mips64',
  'mips64le',
  'mips64p32',
  'mips64p32le',
  'ppc',
  'ppc64',
  'ppc64le',
  'riscv',
  'riscv64',
  's390',
  's390x',
  'sparc',
  'sparc64',
  'wasm',
]);

/** What a build settles: the target system, cgo, and the `-tags` it names. */
export interface BuildTags {
  goos: string;
  /** Undefined when the build does not say (the tags of an architecture are then unknown). */
  goarch?: string;
  cgo: boolean;
  /** The `-tags` values; undefined when they are not known (a variable). */
  tags?: readonly string[];
}

/** The build a go command makes, before cgo is settled. */
export type BuildTarget = Omit<BuildTags, 'cgo'>;

/** True, false, or unknown (undefined). */
export type Truth = boolean | undefined;

/** Whether one tag is satisfied by the build (go/build's matchTag, with unknowns). */
function matchTag(name: string, build: BuildTags): Truth {
  if (KNOWN_OS.has(name) || name === 'unix') {
    if (name === build.goos) return true;
    if (name === 'unix') return UNIX_OS.has(build.goos);
    // android builds also match linux, illumos solaris, ios darwin.
    return (
      (name === 'linux' && build.goos === 'android') ||
      (name === 'solaris' && build.goos === 'illumos') ||
      (name === 'darwin' && build.goos === 'ios')
    );
  }
  if (KNOWN_ARCH.has(name)) return build.goarch === undefined ? undefined : name === build.goarch;
  if (name === 'cgo') return build.cgo;
  if (name === 'gc') return true;
  if (name === 'gccgo') return false;
  // Release tags: a file for an older Go than the image's is built; a newer one is not known.
  if (/^go1\.\d+$/.test(name)) return true;
  if (name.startsWith('goexperiment.')) return undefined;
  return build.tags === undefined
    ? name === 'ignore'
      ? false
      : undefined
    : build.tags.includes(name);
}

function not(a: Truth): Truth {
  return a === undefined ? undefined : !a;
}

function and(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : undefined;
}

function or(a: Truth, b: Truth): Truth {
  if (a === true || b === true) return true;
  return a === false && b === false ? false : undefined;
}

/** Evaluates a `//go:build` expression (`linux && (amd64 || arm64) && !cgo`). */
export function evaluateConstraint(expression: string, build: BuildTags): Truth {
  const tokens = expression.match(/&&|\|\||[!()]|[\w.]+|\S/g) ?? [];
  let at = 0;
  let malformed = false;
  const primary = (): Truth => {
    const token = tokens[at++];
    if (token === '!') return not(primary());
    if (token === '(') {
      const value = disjunction();
      if (tokens[at++] !== ')') malformed = true;
      return value;
    }
    if (token === undefined || !/^[\w.]+$/.test(token)) {
      malformed = true;
      return undefined;
    }
    return matchTag(token, build);
  };
  const conjunction = (): Truth => {
    let value = primary();
    while (tokens[at] === '&&') {
      at++;
      value = and(value, primary());
    }
    return value;
  };
  const disjunction = (): Truth => {
    let value = conjunction();
    while (tokens[at] === '||') {
      at++;
      value = or(value, conjunction());
    }
    return value;
  };
  const value = disjunction();
  return malformed || at !== tokens.length ? undefined : value;
}

/**
 * The `//go:build` expression that `// +build` lines stand for: a line's space-separated options
 * are alternatives, an option's comma-separated terms all hold, and the lines all hold.
 */
export function plusBuildExpression(lines: readonly string[]): string {
  return lines
    .map(
      (line) =>
        `(${line
          .trim()
          .split(/\s+/)
          .map((option) => option.split(',').join(' && '))
          .join(' || ')})`,
    )
    .join(' && ');
}

/**
 * What a file name's `_GOOS`, `_GOARCH` or `_GOOS_GOARCH` suffix says of the build (go/build's
 * goodOSArchFile): true when the name has none.
 */
export function matchFileName(path: string, build: BuildTags): Truth {
  let name = basename(path).replace(/\.go$/, '');
  const underscore = name.indexOf('_');
  if (underscore < 0) return true;
  name = name.slice(underscore);
  const parts = name.split('_');
  if (parts[parts.length - 1] === 'test') parts.pop();
  const n = parts.length;
  if (n >= 2 && KNOWN_OS.has(parts[n - 2]) && KNOWN_ARCH.has(parts[n - 1])) {
    return and(matchTag(parts[n - 2], build), matchTag(parts[n - 1], build));
  }
  if (n >= 1 && (KNOWN_OS.has(parts[n - 1]) || KNOWN_ARCH.has(parts[n - 1]))) {
    return matchTag(parts[n - 1], build);
  }
  return true;
}

/** Whether a file is part of the build: its name and its constraint (when it has one). */
export function fileInBuild(path: string, constraint: string | undefined, build: BuildTags): Truth {
  const byName = matchFileName(path, build);
  return constraint === undefined ? byName : and(byName, evaluateConstraint(constraint, build));
}
