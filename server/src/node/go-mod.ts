/**
 * Finds the go.mod of the module a Dockerfile builds: the nearest one walking up from the
 * Dockerfile's folder, not above a given boundary (the workspace folder, or the repository root).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, parse, relative, isAbsolute } from 'node:path';

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
 * folder holding `.git`, else at the file-system root.
 */
export function findGoMod(startDir: string, boundary?: string): FoundGoMod | undefined {
  let dir = startDir;
  const root = parse(dir).root;
  for (let depth = 0; depth < 64; depth++) {
    const candidate = join(dir, 'go.mod');
    try {
      if (existsSync(candidate) && statSync(candidate).isFile()) {
        return { path: candidate, text: readFileSync(candidate, 'utf8') };
      }
    } catch {
      // Unreadable: keep walking.
    }
    if (boundary !== undefined && (dir === boundary || !isInside(dir, boundary))) return undefined;
    if (boundary === undefined && existsSync(join(dir, '.git'))) return undefined;
    if (dir === root) return undefined;
    dir = dirname(dir);
  }
  return undefined;
}

/** Reads a go.mod given explicitly; throws with a clear message when it cannot. */
export function readGoMod(path: string): FoundGoMod {
  return { path, text: readFileSync(path, 'utf8') };
}
