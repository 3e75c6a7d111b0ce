/**
 * Which files of a repository declare builds, and their builds: the one entry point from a file's
 * name and text to its build declarations. Never throws: a file that cannot be read as what its
 * name says is skipped with a one-line reason.
 */
import { bakeHclBuilds, bakeJsonBuilds } from './bake';
import { composeBuilds } from './compose';
import { workflowBuilds } from './github-actions';
import { gitlabBuilds } from './gitlab-ci';
import { HclError } from './hcl';
import { makefileBuilds } from './makefile';
import { scriptBuilds } from './shell-script';
import { taskfileBuilds } from './taskfile';
import { justfileBuilds } from './justfile';
import type { BuildFileKind, IncludeReader, ParsedBuildFile } from './types';
import { YamlError } from './yaml-tree';

export type {
  BuildArg,
  BuildDeclaration,
  BuildFileKind,
  IncludeReader,
  ParsedBuildFile,
} from './types';

/** Compose files: compose.yaml, compose.override.yml, docker-compose.yml, docker-compose.prod.yml. */
const COMPOSE = /^(docker-)?compose([.-][^/]*)?\.ya?ml$/i;
const BAKE = /^docker-bake([.-][^/]*)?\.(hcl|json)$/i;
const MAKEFILE = /^(GNUmakefile|[Mm]akefile|.+\.mk)$/;
const SCRIPT = /\.(sh|bash)$/;
const TASKFILE = /^[Tt]askfile(\.dist)?\.ya?ml$/;
const JUSTFILE = /^\.?justfile$|\.just$/i;

/**
 * The kind of build file a file is, from its path relative to the repository root (`/`
 * separators); undefined for any other file.
 */
export function buildFileKind(relativePath: string): BuildFileKind | undefined {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(relativePath)) return 'github-actions';
  // A composite action's definition, in the repository's own actions or at its root.
  if (name === 'action.yml' || name === 'action.yaml') return 'github-actions';
  if (relativePath === '.gitlab-ci.yml' || relativePath === '.gitlab-ci.yaml') return 'gitlab-ci';
  if (COMPOSE.test(name)) return 'compose';
  if (BAKE.test(name)) return 'bake';
  if (MAKEFILE.test(name)) return 'makefile';
  if (SCRIPT.test(name)) return 'script';
  if (TASKFILE.test(name)) return 'taskfile';
  if (JUSTFILE.test(name)) return 'justfile';
  return undefined;
}

/**
 * The builds a build file declares, or why it was skipped. `include` reads the files a script
 * sources or a Makefile includes, for the variables they set.
 */
export function parseBuildFile(
  kind: BuildFileKind,
  name: string,
  text: string,
  include?: IncludeReader,
): ParsedBuildFile {
  if (text.includes('\u0000')) return { ok: false, reason: 'a binary file' };
  try {
    switch (kind) {
      case 'compose':
        return { ok: true, builds: composeBuilds(text) };
      case 'bake':
        return {
          ok: true,
          builds: name.toLowerCase().endsWith('.json') ? bakeJsonBuilds(text) : bakeHclBuilds(text),
        };
      case 'makefile':
        return { ok: true, builds: makefileBuilds(text, include) };
      case 'script':
        return { ok: true, builds: scriptBuilds(text, include) };
      case 'github-actions':
        return { ok: true, builds: workflowBuilds(text) };
      case 'gitlab-ci':
        return { ok: true, builds: gitlabBuilds(text) };
      case 'taskfile':
        return { ok: true, builds: taskfileBuilds(text) };
      case 'justfile':
        return { ok: true, builds: justfileBuilds(text) };
    }
  } catch (error) {
    if (error instanceof YamlError)
      return { ok: false, reason: `not valid YAML: ${error.message}` };
    if (error instanceof HclError)
      return { ok: false, reason: `not read as HCL: ${error.message}` };
    if (error instanceof SyntaxError)
      return { ok: false, reason: `not valid JSON: ${error.message}` };
    if (error instanceof RangeError) return { ok: false, reason: 'nested too deeply' };
    return {
      ok: false,
      reason: `could not be read: ${String(error).split('\n')[0].slice(0, 200)}`,
    };
  }
}
