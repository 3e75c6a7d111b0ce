/**
 * Builds in .gitlab-ci.yml: build commands in the `before_script`, `script` and `after_script`
 * of each job (hidden `.templates` and `default:` too), run from the repository root, with the
 * file's and the job's literal `variables`. The lines of a job's scripts run in one shell, so a
 * `cd` carries on to the next line.
 */
import { REPO_ROOT_MARK, shellBuilds, type ShellState } from './command-line';
import type { BuildDeclaration } from './types';
import { markExtracted } from './extracted-images';
import { get, parseYaml, text, type YamlNode, type YamlScalar } from './yaml-tree';

const SCRIPT_KEYS = ['before_script', 'script', 'after_script'];

function variablesOf(node: YamlNode | undefined, scope: Map<string, string | null>): void {
  if (node?.kind !== 'map') return;
  for (const entry of node.entries) {
    // `NAME: value` or `NAME: { value: …, description: … }`.
    const value = text(entry.value) ?? text(get(entry.value, 'value'));
    scope.set(entry.key, value === undefined || value.includes('$') ? null : value);
  }
}

/** A script: one line, or a list of lines (lists may nest, through `!reference` or anchors). */
function scriptLines(node: YamlNode | undefined, out: YamlScalar[] = [], depth = 0): YamlScalar[] {
  if (!node || depth > 10) return out;
  if (node.kind === 'scalar' && typeof node.value === 'string') out.push(node);
  else if (node.kind === 'seq') for (const item of node.items) scriptLines(item, out, depth + 1);
  return out;
}

/** The builds of a .gitlab-ci.yml. Throws YamlError when it is not YAML. */
export function gitlabBuilds(source: string): BuildDeclaration[] {
  const root = parseYaml(source);
  if (root.kind !== 'map') return [];
  const globals = new Map<string, string | null>([['CI_PROJECT_DIR', REPO_ROOT_MARK]]);
  variablesOf(get(root, 'variables'), globals);
  const builds: BuildDeclaration[] = [];
  for (const job of root.entries) {
    if (job.value.kind !== 'map' || job.key === 'variables') continue;
    const lines = SCRIPT_KEYS.flatMap((key) => scriptLines(get(job.value, key)));
    if (lines.length === 0) continue;
    const scope = new Map(globals);
    variablesOf(get(job.value, 'variables'), scope);
    const state: ShellState = { scope, cwd: '.' };
    const found = lines.flatMap((line) => shellBuilds(String(line.value), state, line.textLine));
    // The job's lines run in one shell: one may build what a later one takes files out of.
    for (const build of markExtracted(found, lines.map((l) => String(l.value)).join('\n'))) {
      builds.push({
        kind: 'gitlab-ci',
        line: build.line,
        label: `job ${job.key}: ${build.command}`,
        base: 'root',
        cwd: build.cwd,
        ...build.build,
      });
    }
  }
  return builds;
}
