/**
 * Build commands in a Makefile: the recipe lines of its rules that run docker (or podman,
 * buildah, nerdctl), with the variables the Makefile sets expanded (core/model/makefile.ts reads
 * the Makefile). Each recipe line runs in a shell of its own, so a `cd` reaches only the rest of
 * its line.
 */
import { expandMake, parseMakefile } from '../core/model/makefile';
import { shellBuilds } from './command-line';
import type { BuildDeclaration, IncludeReader } from './types';

const BUILDERS = /\b(docker|podman|buildah|nerdctl)\b/;

/** make's own folder: `$(CURDIR)`, `$(shell pwd)` (either brackets). */
const MAKE_FOLDER = /\$(?:\(\s*(?:CURDIR|shell\s+pwd)\s*\)|\{\s*(?:CURDIR|shell\s+pwd)\s*\})/g;
const CHANGES_FOLDER = /\b(cd|pushd)\b|-C\s/;

/**
 * A recipe with make's own folder written out as `.`: a recipe runs in the Makefile's folder
 * (make runs in it, or `make -C` changes into it), so `docker build $(shell pwd)` builds that
 * folder. Left as it is (unknown) when the recipe changes folder first.
 */
function withMakeFolder(recipe: string): string {
  return CHANGES_FOLDER.test(recipe) ? recipe : recipe.replace(MAKE_FOLDER, '.');
}

/**
 * The builds a Makefile's recipes run; with `include`, the variables of the files it includes
 * (`include .env`) are known too.
 */
export function makefileBuilds(text: string, include?: IncludeReader): BuildDeclaration[] {
  const makefile = parseMakefile(text, include);
  const builds: BuildDeclaration[] = [];
  for (const recipe of makefile.recipes) {
    if (!BUILDERS.test(recipe.text)) continue;
    const expanded = expandMake(withMakeFolder(recipe.text), makefile.variables);
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
