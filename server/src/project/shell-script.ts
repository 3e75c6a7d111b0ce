/**
 * Build commands in a shell script. A script may be run from its own folder or from the
 * repository root (by CI, by a Makefile): its relative paths are tried from both, unless it
 * moves to a known folder first (`cd "$(dirname "$0")/.."`).
 */
import { BUILD_WORDS, shellBuilds } from './command-line';
import type { BuildDeclaration, IncludeReader } from './types';

/** The builds a shell script runs; with `include`, the variables of the files it sources too. */
export function scriptBuilds(text: string, include?: IncludeReader): BuildDeclaration[] {
  // Most scripts build nothing: one look at the text spares reading each line.
  if (!BUILD_WORDS.test(text)) return [];
  const state = { scope: new Map<string, string | null>(), cwd: '.', include };
  return shellBuilds(text, state).map((found) => ({
    kind: 'script',
    line: found.line,
    label: found.command,
    base: 'file-or-root',
    cwd: found.cwd,
    ...found.build,
  }));
}
