/**
 * Finds the go.mod of the module a Dockerfile builds: the nearest one walking up from the
 * Dockerfile's folder, not above a given boundary (the workspace folder, or the repository root).
 * Every go.mod is read through the project reader: a link to a device, a FIFO or a huge file is
 * skipped, not read.
 */
import { existsSync, lstatSync } from 'node:fs';
import { dirname, isAbsolute, join, parse, relative } from 'node:path';
import { readProjectFile, worthReporting, type SkipReporter } from './project-reader';

export interface FoundGoMod {
  path: string;
  text: string;
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The nearest go.mod at or above `startDir`. Stops at `boundary` when given (inclusive), else at a
 * folder holding `.git`, else at the file-system root. A go.mod that cannot be read as a regular
 * file is skipped (the walk goes on above it).
 */
export function findGoMod(
  startDir: string,
  boundary?: string,
  skipped?: SkipReporter,
): FoundGoMod | undefined {
  let dir = startDir;
  const root = parse(dir).root;
  for (let depth = 0; depth < 64; depth++) {
    const candidate = join(dir, 'go.mod');
    let exists = false;
    try {
      exists = lstatSync(candidate, { throwIfNoEntry: false }) !== undefined;
    } catch {
      exists = false;
    }
    if (exists) {
      const read = readProjectFile(candidate, { within: boundary });
      if (read.ok) return { path: candidate, text: read.text };
      if (worthReporting(read)) skipped?.(candidate, read.reason);
    }
    if (boundary !== undefined && (dir === boundary || !isInside(dir, boundary))) return undefined;
    if (boundary === undefined && existsSync(join(dir, '.git'))) return undefined;
    if (dir === root) return undefined;
    dir = dirname(dir);
  }
  return undefined;
}

/**
 * Reads a go.mod given explicitly; throws with a clear message naming it as `shown` (the path as
 * the user wrote it) when it cannot.
 */
export function readGoMod(path: string, shown = path): FoundGoMod {
  const read = readProjectFile(path, { fatalUtf8: true });
  if (!read.ok) throw new Error(`cannot read go.mod ${shown}: ${read.reason}`);
  return { path, text: read.text };
}
