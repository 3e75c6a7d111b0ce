/**
 * Path arithmetic for paths inside a Linux image (always `/`-separated). The core cannot use
 * `node:path`, and must not depend on the host's separator anyway.
 */

export function isAbsolute(path: string): boolean {
  return path.startsWith('/');
}

/** Resolves `.` and `..` and duplicate slashes; keeps a leading `/`; drops a trailing one. */
// A path normalize() would change: `//`, a `.` or `..` segment, a trailing slash after a name.
const NOT_NORMAL = /\/\/|(?:^|\/)\.\.?(?:\/|$)|.\/$/;

export function normalize(path: string): string {
  // Most paths of a Dockerfile are normal already: no need to split them. Nor are those that
  // are normal once a trailing slash (`/app/`) or a leading `./` (`./go.mod`) is dropped.
  if (path !== '' && !NOT_NORMAL.test(path)) return path;
  if (path.length > 1 && path.endsWith('/')) {
    const trimmed = path.slice(0, -1);
    if (!NOT_NORMAL.test(trimmed)) return trimmed;
  } else if (path.startsWith('./') && path.length > 2 && path[2] !== '/') {
    const rest = path.slice(2);
    if (!NOT_NORMAL.test(rest)) return rest;
  }
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!absolute) parts.push('..');
      continue;
    }
    parts.push(part);
  }
  const joined = parts.join('/');
  if (absolute) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Resolves `path` against the directory `base` (which should be absolute). */
export function resolve(base: string, path: string): string {
  if (isAbsolute(path)) return normalize(path);
  // Under `/` (or any base written with its trailing slash) no slash is doubled to undo.
  return normalize(base.endsWith('/') ? base + path : base + '/' + path);
}

/**
 * A COPY or ADD source as a path from the build context's root, as BuildKit reads it: `/app/.`,
 * `./app/` and `app` are all `app`, a `..` stops at the root, and the context itself is ``.
 */
export function contextRelative(source: string): string {
  return resolve('/', source).slice(1);
}

/** Joins a directory and a relative name (`/` + `app` is `/app`, not `//app`). */
export function join(dir: string, name: string): string {
  return normalize(dir + '/' + name);
}

export function dirname(path: string): string {
  const normalized = normalize(path);
  const slash = normalized.lastIndexOf('/');
  if (slash < 0) return '.';
  if (slash === 0) return '/';
  return normalized.slice(0, slash);
}

/**
 * `path` without its trailing slashes. A loop, not `replace(/\/+$/, '')`: that regex is
 * quadratic on a long run of slashes followed by anything else.
 */
export function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47 /* / */) end--;
  return path.slice(0, end);
}

export function basename(path: string): string {
  const trimmed = trimTrailingSlashes(path);
  const slash = trimmed.lastIndexOf('/');
  return slash < 0 ? trimmed : trimmed.slice(slash + 1);
}

/** True when `path` is `dir` or lies below it (both normalized, absolute). */
export function isWithin(path: string, dir: string): boolean {
  if (dir === '/') return true;
  return path === dir || path.startsWith(dir + '/');
}
