/**
 * The build context of a Dockerfile on disk, for the CLI and the language server alike. Given
 * explicitly (`--context`), it is that folder. Otherwise the candidates, in order: the
 * Dockerfile's folder when it holds the go.mod, the go.mod's folder when the Dockerfile lies
 * below it (`docker build -f docker/Dockerfile .` from the module root), and the Dockerfile's
 * folder (GOPATH-era layouts without a go.mod). A candidate is taken only when every file the
 * Dockerfile copies or adds by name from the context is there (or excluded by its .dockerignore,
 * or a go.sum beside the go.mod it needs), so a guess that does not fit the Dockerfile leaves the
 * context unknown rather than wrong.
 */
import { dirname, relative, isAbsolute, sep } from 'node:path';
import { buildModel } from '../core/model/model';
import { hasGlob } from '../core/text/glob';
import { contextRelative } from '../core/text/posix-path';
import type { BuildContext } from '../core/types';
import { listBuildContext } from './build-context';

/**
 * What a context must hold for a Dockerfile: the files its COPY and ADD instructions name in the
 * context (no globs, no variables, not what an ADD fetches from a URL or git), and Go files when
 * it builds Go from the sources it copies.
 */
function requirements(dockerfileText: string): { names: string[]; goSources: boolean } {
  const model = buildModel(dockerfileText);
  const names: string[] = [];
  let goSources = false;
  for (const stage of model.stages) {
    goSources ||= stage.goCalls.some((c) =>
      c.invocation.packages.every((p) => !p.text.includes('@')),
    );
    for (const copy of stage.copies) {
      if (copy.from || copy.heredoc) continue;
      for (const source of copy.sources) {
        if (source.remote) continue;
        const text = contextRelative(source.text);
        if (text !== '' && !text.includes('$') && !hasGlob(text)) names.push(text);
      }
    }
  }
  return { names, goSources };
}

/** Whether a listed context holds what the Dockerfile needs from it. */
function fits(context: BuildContext, needs: { names: string[]; goSources: boolean }): boolean {
  if (needs.goSources && !context.files.some((f) => f.endsWith('.go'))) return false;
  const files = new Set(context.files);
  return needs.names.every(
    (name) =>
      files.has(name) ||
      context.files.some((f) => f.startsWith(name + '/')) ||
      // Left out by .dockerignore: the folder is the context, the COPY fails (a finding).
      context.ignored?.(name) === true ||
      // A module without requirements has no go.sum: its go.mod beside it tells the folder.
      (/(^|\/)go(\.work)?\.sum$/.test(name) &&
        files.has(
          name.replace(/go(\.work)?\.sum$/, (m) => (m === 'go.sum' ? 'go.mod' : 'go.work')),
        )),
  );
}

function isBelow(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(sep));
}

/**
 * The build context for a Dockerfile at `dockerfilePath` with text `text`, given the go.mod found
 * for it (if any). Undefined when no candidate fits or can be listed.
 */
export function contextFor(
  dockerfilePath: string,
  text: string,
  goModPath: string | undefined,
  /** Lists a folder (the language server passes a cached lister). */
  list: (dir: string) => BuildContext | undefined = listBuildContext,
): BuildContext | undefined {
  const dir = dirname(dockerfilePath);
  const moduleDir = goModPath === undefined ? undefined : dirname(goModPath);
  const candidates: string[] = [];
  if (moduleDir === dir) candidates.push(dir);
  if (moduleDir !== undefined && moduleDir !== dir && isBelow(dir, moduleDir))
    candidates.push(moduleDir);
  if (!candidates.includes(dir)) candidates.push(dir);
  const needs = requirements(text);
  for (const candidate of candidates) {
    const context = list(candidate);
    if (context && fits(context, needs)) return context;
  }
  return undefined;
}
