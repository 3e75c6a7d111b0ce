import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found from the compiled test's location (out/test/...) or the sources. */
function findRoot(start: string): string {
  let dir = start;
  while (
    !existsSync(join(dir, 'package.json')) ||
    existsSync(join(dir, 'tsconfig.test.json')) === false
  ) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root not found');
    dir = parent;
  }
  return dir;
}

export const repoRoot = findRoot(__dirname);
