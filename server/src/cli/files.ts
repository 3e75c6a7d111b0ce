/**
 * Expands the file arguments of the CLI: plain paths are kept (read errors surface later), glob
 * patterns (`**\/Dockerfile*`, `services/*\/Dockerfile`) are matched against the tree below the
 * working directory, skipping `.git` and `node_modules`.
 */
import { readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { hasGlob, matchSegment } from '../core/text/glob';

const SKIPPED = new Set(['.git', 'node_modules']);

function matches(pattern: string[], path: string[], pi = 0, si = 0): boolean {
  if (pi === pattern.length) return si === path.length;
  if (pattern[pi] === '**') {
    for (let k = si; k <= path.length; k++) if (matches(pattern, path, pi + 1, k)) return true;
    return false;
  }
  return (
    si < path.length &&
    matchSegment(pattern[pi], path[si]) &&
    matches(pattern, path, pi + 1, si + 1)
  );
}

function walk(dir: string, found: string[], limit: number): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (found.length >= limit) return;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) walk(path, found, limit);
    } else if (entry.isFile()) {
      found.push(path);
    }
  }
}

/** Expands globs against `cwd`; returns the files in argument order, each file once. */
export function expandFileArguments(
  args: readonly string[],
  cwd: string,
): { files: string[]; unmatched: string[] } {
  const files: string[] = [];
  const unmatched: string[] = [];
  let tree: string[] | undefined;
  for (const arg of args) {
    if (arg === '-' || !hasGlob(arg)) {
      files.push(arg);
      continue;
    }
    if (!tree) {
      tree = [];
      walk(cwd, tree, 100_000);
    }
    const pattern = arg
      .replace(/^\.\//, '')
      .split('/')
      .filter((s) => s !== '');
    const hits = tree
      .map((p) => relative(cwd, p).split(sep).join('/'))
      .filter((p) => matches(pattern, p.split('/')))
      .sort();
    if (hits.length === 0) unmatched.push(arg);
    files.push(...hits);
  }
  // The same file named twice (`a`, `./a`, a glob and a path) is linted once, as first named.
  const seen = new Set<string>();
  const unique = files.filter((file) => {
    const key = file === '-' ? '-' : resolve(cwd, file);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { files: unique, unmatched };
}
