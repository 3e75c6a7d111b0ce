/**
 * Build commands in a Makefile: the recipe lines of its rules that run docker (or podman,
 * buildah, nerdctl), with the variables the Makefile sets expanded (core/model/makefile.ts reads
 * the Makefile). Each recipe line runs in a shell of its own, so a `cd` reaches only the rest of
 * its line.
 */
import { expandMake, parseMakefile } from '../core/model/makefile';
import { shellBuilds } from './command-line';
import type { BuildDeclaration } from './types';

const BUILDERS = /\b(docker|podman|buildah|nerdctl)\b/;

/** The builds a Makefile's recipes run. */
export function makefileBuilds(text: string): BuildDeclaration[] {
  const makefile = parseMakefile(text);
  const builds: BuildDeclaration[] = [];
  for (const recipe of makefile.recipes) {
    if (!BUILDERS.test(recipe.text)) continue;
    const expanded = expandMake(recipe.text, makefile.variables);
    for (const found of shellBuilds(expanded, { scope: new Map(), cwd: '.' }, recipe.line)) {
      builds.push({
        kind: 'makefile',
        line: recipe.line,
        label: `${found.command} in target ${recipe.targets[0]}`,
        base: 'file',
        cwd: found.cwd,
        ...found.build,
      });
    }
  }
  return builds;
}
