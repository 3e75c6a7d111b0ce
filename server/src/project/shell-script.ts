/**
 * Build commands in a shell script. A script may be run from its own folder or from the
 * repository root (by CI, by a Makefile): its relative paths are tried from both, unless it
 * moves to a known folder first (`cd "$(dirname "$0")/.."`).
 */
import { shellBuilds } from './command-line';
import type { BuildDeclaration } from './types';

/** The builds a shell script runs. */
export function scriptBuilds(text: string): BuildDeclaration[] {
  return shellBuilds(text).map((found) => ({
    kind: 'script',
    line: found.line,
    label: found.command,
    base: 'file-or-root',
    cwd: found.cwd,
    ...found.build,
  }));
}
