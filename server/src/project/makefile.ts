/**
 * Build commands in a Makefile: the recipe lines of its rules that run docker (or podman,
 * buildah, nerdctl), with the variables the Makefile sets expanded (core/model/makefile.ts reads
 * the Makefile). Each recipe line runs in a shell of its own, so a `cd` reaches only the rest of
 * its line.
 */
import { expandRecipe, parseMakefile } from '../core/model/makefile';
import { REPO_ROOT_MARK, SCRIPT_DIR_MARK, shellBuilds, type ShellBuild } from './command-line';
import { markExtracted } from './extracted-images';
import type { BuildDeclaration, IncludeReader } from './types';

const BUILDERS = /\b(docker|podman|buildah|nerdctl)\b/;

/** make's own folder: `$(CURDIR)`, `$(shell pwd)` (either brackets). */
const MAKE_FOLDER = /\$(?:\(\s*(?:CURDIR|shell\s+pwd)\s*\)|\{\s*(?:CURDIR|shell\s+pwd)\s*\})/g;
/** What make's own folder is read as until a recipe says where it runs. */
const FOLDER_MARK = '__make_folder__';
const CHANGES_FOLDER = /\b(cd|pushd)\b|-C\s/;

/**
 * A path made absolute from make's folder: `$(abspath X)`, `$(realpath X)`, `$(shell realpath
 * X)`, with X a relative path or one variable (`$(shell realpath $(DOCKERFILE))`).
 */
const ABSOLUTE_PATH =
  /\$\(\s*(?:abspath|realpath|shell\s+realpath)\s+(\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[A-Za-z_][A-Za-z0-9_]*\}|[^\s$()]+)\s*\)/g;

/**
 * The Makefile's own folder from MAKEFILE_LIST: `$(dir $(realpath $(lastword $(MAKEFILE_LIST))))`
 * (with a trailing `/`), or `$(shell dirname …)` around the same (without one).
 */
const MAKEFILE_DIR =
  /\$\(\s*(dir|shell\s+dirname)\s+\$\(\s*(?:abspath|realpath)\s+\$\(\s*(?:lastword|firstword)\s+\$\(\s*MAKEFILE_LIST\s*\)\s*\)\s*\)\s*\)/g;
/** The repository's root, as make asks git for it. */
const MAKE_REPO_ROOT = /\$\(\s*shell\s+git\s+rev-parse\s+--show-toplevel\s*\)/g;

function markFolder(text: string): string {
  return text
    .replace(MAKEFILE_DIR, (_, how: string) => (how === 'dir' ? `${FOLDER_MARK}/` : FOLDER_MARK))
    .replace(MAKE_REPO_ROOT, REPO_ROOT_MARK)
    .replace(MAKE_FOLDER, FOLDER_MARK)
    .replace(ABSOLUTE_PATH, (_, path: string) =>
      path.startsWith('/') ? path : `${FOLDER_MARK}/${path.replace(/^\.\//, '')}`,
    );
}

/**
 * An expanded recipe with make's own folder written out as `.`: a recipe runs in the Makefile's
 * folder (make runs in it, or `make -C` changes into it), so `docker build $(shell pwd)`, or
 * `$(ROOT)` after `ROOT := $(CURDIR)`, builds that folder. When the recipe changes folder first
 * (`cd hack && docker build -f $(CURDIR)/hack/Dockerfile .`), the folder is marked as the build
 * file's own, which a `cd` does not move.
 */
function withMakeFolder(recipe: string): string {
  if (!recipe.includes(FOLDER_MARK)) return recipe;
  return recipe.replaceAll(FOLDER_MARK, CHANGES_FOLDER.test(recipe) ? SCRIPT_DIR_MARK : '.');
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
  // A rule's recipe lines together: one line may build an image that a later one only takes
  // files out of (extracted-images.ts).
  const byRule = new Map<string, { target: string; texts: string[]; found: ShellBuild[] }>();
  for (const recipe of makefile.recipes) {
    // The build program may be in a variable (`$(OCI_BUILD) -t x .`, `$(call build-image)`).
    if (!BUILDERS.test(recipe.text) && !recipe.text.includes('$')) continue;
    const expanded = withMakeFolder(expandRecipe(recipe.text, makefile.variables));
    if (!BUILDERS.test(expanded)) continue;
    const key = recipe.targets.join(' ');
    const rule = byRule.get(key) ?? { target: recipe.targets[0], texts: [], found: [] };
    byRule.set(key, rule);
    rule.texts.push(expanded);
    // Reported at the recipe line: an expanded `define` has lines of its own.
    for (const found of shellBuilds(expanded, { scope: new Map(), cwd: '.' })) {
      rule.found.push({ ...found, line: recipe.line });
    }
  }
  return [...byRule.values()]
    .flatMap((rule) =>
      markExtracted(rule.found, rule.texts.join('\n')).map((f) => declaration(f, rule.target)),
    )
    .sort((a, b) => a.line - b.line);
}

function declaration(found: ShellBuild, target: string | undefined): BuildDeclaration {
  return {
    kind: 'makefile',
    line: found.line,
    label: `${found.command} in target ${target}`,
    base: 'file',
    cwd: found.cwd,
    ...found.build,
  };
}
