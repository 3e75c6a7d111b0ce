/**
 * Expands the file arguments of the CLI: plain paths are kept (read errors surface later), glob
 * patterns (`**\/Dockerfile*`, `services/*\/Dockerfile`) are matched against the tree below the
 * working directory, skipping `.git` and `node_modules`, and a directory stands for the
 * Dockerfiles below it (`lint .`), skipping `vendor` and `testdata` too (Go's own folders of
 * other people's code and of test inputs: a Dockerfile there is a fixture, not a build).
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { hasGlob, matchSegment } from '../core/text/glob';

const SKIPPED = new Set(['.git', 'node_modules']);
const SKIPPED_BELOW_DIRECTORY = new Set([...SKIPPED, 'vendor', 'testdata']);
/** Files walked at most for a glob or a directory. */
const MAX_FILES = 100_000;

// A Dockerfile's name: Dockerfile, Dockerfile.dev, Dockerfile-cuda, api.Dockerfile, Containerfile
// (any case)...
const DOCKERFILE_NAME = /^(?:(?:docker|container)file(?:[._-].+)?|.+\.(?:docker|container)file)$/i;
// ...but not the files kept beside one: BuildKit's `Dockerfile.dockerignore`, notes, scripts,
// templates filled in before a build (`Dockerfile.in`, `Dockerfile.tmpl`), editor leftovers, and
// source files about Dockerfiles (`dockerfile.go`, `dockerfile_test.go`).
const BESIDE_DOCKERFILE =
  /\.(?:dockerignore|md|txt|rst|json|ya?ml|toml|sh|ps1|bat|in|tmpl|tpl|template|j2|erb|bak|orig|rej|swp|old|lock|go|py|js|ts|rs|java|rb|c|h)$/i;

function isDockerfileName(name: string): boolean {
  return DOCKERFILE_NAME.test(name) && !BESIDE_DOCKERFILE.test(name);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

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

function walk(dir: string, found: string[], limit: number, skipped = SKIPPED): void {
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
      if (!skipped.has(entry.name)) walk(path, found, limit, skipped);
    } else if (entry.isFile()) {
      found.push(path);
    }
  }
}

/** The Dockerfiles below a directory argument, written from it (`.` → `svc/Dockerfile`). */
function dockerfilesBelow(arg: string, cwd: string): string[] {
  const dir = resolve(cwd, arg);
  const found: string[] = [];
  walk(dir, found, MAX_FILES, SKIPPED_BELOW_DIRECTORY);
  return found
    .filter((path) => isDockerfileName(basename(path)))
    .map((path) => join(arg, relative(dir, path)).split(sep).join('/'))
    .sort();
}

/**
 * Expands globs and directories against `cwd`; returns the files in argument order, each file
 * once, with the globs that match nothing and the directories that hold no Dockerfile.
 */
export function expandFileArguments(
  args: readonly string[],
  cwd: string,
): { files: string[]; unmatched: string[]; empty: string[] } {
  const files: string[] = [];
  const unmatched: string[] = [];
  const empty: string[] = [];
  let tree: string[] | undefined;
  for (const arg of args) {
    if (arg !== '-' && !hasGlob(arg) && isDirectory(resolve(cwd, arg))) {
      const found = dockerfilesBelow(arg, cwd);
      if (found.length === 0) empty.push(arg);
      files.push(...found);
      continue;
    }
    if (arg === '-' || !hasGlob(arg)) {
      files.push(arg);
      continue;
    }
    if (!tree) {
      tree = [];
      walk(cwd, tree, MAX_FILES);
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
  return { files: unique, unmatched, empty };
}
