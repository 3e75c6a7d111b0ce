/**
 * What a string literal of a Go program looks like: a possible file name, a regular expression,
 * a path inside the files the program carries (`//go:embed`, an `io/fs` file system). Read by
 * program-needs.ts to tell the paths the program names from strings that only look like them.
 */
import { SHELLS } from '../model/shell';
import type { GoCallSite, GoStringLiteral } from '../model/go-source';
import { basename, normalize } from '../text/posix-path';

/** Functions whose string arguments are matched or cut, and those that dial: no listening. */
const NOT_LISTENING =
  /^(?:strings|bytes)\.|(?:^|\.)(?:Dial|DialTimeout|DialContext|DialTCP|DialUDP)$/;

/**
 * The port of an address the program listens on, as written (`":8080"`, `Addr: ":80"`,
 * `"0.0.0.0:443"`, `"[::]:80"`). Not one joined to a host (`host + ":443"`: dialled), one a
 * string function matches or trims (`strings.TrimSuffix(domain, ":443")`: a client cutting the
 * default port off a host, as nuclei does), nor one given to `net.Dial`.
 */
export function listenPort(literal: GoStringLiteral): number | undefined {
  if (literal.joined || NOT_LISTENING.test(literal.callee ?? '')) return undefined;
  const match = /^(?:0\.0\.0\.0|\[::\]|)?:(\d{1,5})$/.exec(literal.value);
  return match ? Number(match[1]) : undefined;
}

/** A string that could name a file: one line, not a URL, not a format. */
export function looksLikePath(value: string): boolean {
  if (value === '' || value.length > 1024 || /[\n\0]/.test(value)) return false;
  if (value.includes('://') || /%[-+# 0-9.]*[a-zA-Z]/.test(value)) return false;
  // `-` stands for standard input or output; a name with spaces around it is a trimmed set
  // (`strings.TrimLeft(s, "* ")`); a `$` is expanded at run time (`$HOME/.app`), never a file
  // of the build.
  if (value === '-' || value !== value.trim() || value.includes('$')) return false;
  // A data source name of `key=value` pairs (`"host=db user=" + user`, libpq's form).
  if (/^[A-Za-z_]+=[^\s=]*\s+[A-Za-z_]+=/.test(value)) return false;
  return true;
}

/**
 * Whether a file function reads a file system the program carries rather than the disk:
 * `io/fs`'s functions (`fs.ReadFile(sub, "index.html")` reads the fs.FS it is given), and a
 * method (`assets.ReadDir("templates/views")`) given a path inside what `//go:embed` lines put
 * in the binary.
 */
export function readsCarriedFiles(
  callee: string,
  path: string,
  embedded: readonly string[],
): boolean {
  if (callee.startsWith('io/fs.')) return true;
  if (!callee.startsWith('.')) return false;
  const name = normalize(path);
  return embedded.some((pattern) => {
    const base = normalize(pattern.replace(/^all:/, '').split(/[*?[]/)[0] || '.');
    return (
      base === '.' || name === base || name.startsWith(base + '/') || base.startsWith(name + '/')
    );
  });
}

// The regexp package's functions that take a pattern (`regexp.MustCompile(".*")`).
export const REGEXP_FUNCTIONS =
  /^regexp\.(?:Must)?Compile(?:POSIX)?$|^regexp\.Match(?:String|Reader)?$/;

/**
 * A string written as a regular expression rather than a file name or a glob: `.*` or `.+` (a
 * glob says `*`), an anchor at either end (`^…`, `…$`), a group or alternation (`(a|b)`), an
 * escape class (`\d`, `\s`, `\w`).
 */
/** `(a|b)`: a `|` after an opening parenthesis. */
function groupsAlternatives(value: string): boolean {
  const open = value.indexOf('(');
  return open >= 0 && value.indexOf('|', open) > open;
}

export function looksLikeRegexp(value: string): boolean {
  return (
    /\.[*+]/.test(value) ||
    /^\^/.test(value) ||
    /[^\\]\$$/.test(value) ||
    groupsAlternatives(value) ||
    /\\[dswDSWb]/.test(value)
  );
}

const DOTENV = /(?:^|\/)\.env(?:\.[A-Za-z0-9_-]+)?$/;
const DOTENV_TEMPLATE = /\.(?:example|sample|template|dist|tpl)$/;

/** A dotenv file's name (`.env`, `config/.env.production`), not one of its templates. */
export function isDotenvFile(value: string): boolean {
  return DOTENV.test(value) && !DOTENV_TEMPLATE.test(value);
}

/**
 * The script a shell started with `exec.Command` runs (`"sh", "-c", "date"`): its text, null
 * when it is made at run time, undefined when the program is no shell or runs no `-c` script.
 */
export function shellScript(args: GoCallSite['args'], name: string): string | null | undefined {
  if (!SHELLS.has(basename(name))) return undefined;
  // `-c`, or short options together with it (`-ec`, `-lc`).
  const flag = args.findIndex(
    (a, i) => i > 0 && /^-[a-z]+$/.test(a.literal ?? '') && a.literal!.includes('c'),
  );
  if (flag >= 0) return args[flag + 1]?.literal ?? null;
  // `exec.Command("bash", args...)`: the arguments, -c or not, are made at run time.
  return args.slice(1).some((a) => a.literal === undefined) ? null : undefined;
}

/** A SQLite data source name's file (`file:app.db?cache=shared` → `app.db`). */
export function sqliteFile(dsn: string): string | undefined {
  const path = dsn.replace(/^file:/, '').split('?')[0];
  return path === '' || path === ':memory:' ? undefined : path;
}
