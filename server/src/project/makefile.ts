/**
 * Build commands in a Makefile: the recipe lines of its rules that run docker (or podman,
 * buildah, nerdctl), with the variables the Makefile sets expanded (core/model/makefile.ts reads
 * the Makefile). Each recipe line runs in a shell of its own, so a `cd` reaches only the rest of
 * its line.
 */
import { expandMake, MAKE_UNKNOWN, parseMakefile } from '../core/model/makefile';
import { shellBuilds } from './command-line';
import type { BuildDeclaration, IncludeReader } from './types';

const BUILDERS = /\b(docker|podman|buildah|nerdctl)\b/;

/** make's own folder: `$(CURDIR)`, `$(shell pwd)` (either brackets). */
const MAKE_FOLDER = /\$(?:\(\s*(?:CURDIR|shell\s+pwd)\s*\)|\{\s*(?:CURDIR|shell\s+pwd)\s*\})/g;
/** What make's own folder is read as until a recipe says where it runs. */
const FOLDER_MARK = '__make_folder__';
const CHANGES_FOLDER = /\b(cd|pushd)\b|-C\s/;

function markFolder(text: string): string {
  return text.replace(MAKE_FOLDER, FOLDER_MARK);
}

/**
 * An expanded recipe with make's own folder written out as `.`: a recipe runs in the Makefile's
 * folder (make runs in it, or `make -C` changes into it), so `docker build $(shell pwd)`, or
 * `$(ROOT)` after `ROOT := $(CURDIR)`, builds that folder. Unknown when the recipe changes folder
 * first.
 */
function withMakeFolder(recipe: string): string {
  if (!recipe.includes(FOLDER_MARK)) return recipe;
  return recipe.replaceAll(FOLDER_MARK, CHANGES_FOLDER.test(recipe) ? MAKE_UNKNOWN : '.');
}

/**
 * The builds a Makefile's recipes run; with `include`, the variables of the files it includes
 * (`include .env`) are known too.
 */
export function makefileBuilds(text: string, include?: IncludeReader): BuildDeclaration[] {
  // Included files are read with make's folder marked too; `include $(CURDIR)/.env` is `.env`.
  const marked: IncludeReader | undefined =
    include &&
    ((path) => {
      const relative = path.startsWith(`${FOLDER_MARK}/`)
        ? path.slice(FOLDER_MARK.length + 1)
        : path;
      const included = include(relative);
      return included === undefined ? undefined : markFolder(included);
    });
  const makefile = parseMakefile(markFolder(text), marked);
  const builds: BuildDeclaration[] = [];
  for (const recipe of makefile.recipes) {
    if (!BUILDERS.test(recipe.text)) continue;
    const expanded = withMakeFolder(expandMake(recipe.text, makefile.variables));
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
