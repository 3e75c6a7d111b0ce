/**
 * Builds in GitHub Actions workflows (.github/workflows/*.yml): docker/build-push-action steps
 * (`with:` `context`, `file`, `target`, `platforms`, `build-args`, `outputs`, `push`, `load`),
 * and build commands in `run:` steps, which run from the repository root (or the step's or the
 * job's `working-directory`). A `${{ … }}` expression is unknown: a matrix, an input, a secret.
 */
import { REPO_ROOT_MARK, shellBuilds, splitPlatforms, isExport } from './command-line';
import type { BuildArg, BuildDeclaration } from './types';
import { get, parseYaml, text, type YamlNode } from './yaml-tree';

/** A `with:` value, or null when it holds an expression. */
function literal(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value.includes('${{') ? null : value;
}

/** A list input: one item per line or comma (`platforms`, `outputs`). */
function listInput(value: string | undefined, byComma: boolean): string[] | null | undefined {
  const raw = literal(value);
  if (raw === undefined || raw === null) return raw;
  return byComma
    ? splitPlatforms(raw)
    : raw
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
}

function buildArgs(value: string | undefined): BuildArg[] {
  if (value === undefined) return [];
  const args: BuildArg[] = [];
  for (const line of value.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    const name = eq < 0 ? trimmed : trimmed.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    args.push({ name, value: eq < 0 ? null : (literal(trimmed.slice(eq + 1)) ?? null) });
  }
  return args;
}

/** `env:` maps with literal values, as shell variables. */
function envOf(...nodes: (YamlNode | undefined)[]): Map<string, string | null> {
  const scope = new Map<string, string | null>([['GITHUB_WORKSPACE', REPO_ROOT_MARK]]);
  for (const node of nodes) {
    if (node?.kind !== 'map') continue;
    for (const entry of node.entries) scope.set(entry.key, literal(text(entry.value)) ?? null);
  }
  return scope;
}

function workingDirectory(...nodes: (YamlNode | undefined)[]): string | null {
  for (const node of nodes) {
    const value = text(node);
    if (value !== undefined) {
      const known = literal(value);
      return known === null || known === undefined ? null : known.replace(/^\.\/+/, '') || '.';
    }
  }
  return '.';
}

/** The builds of a workflow file. Throws YamlError when it is not YAML. */
export function workflowBuilds(source: string): BuildDeclaration[] {
  const root = parseYaml(source);
  const jobs = get(root, 'jobs');
  if (jobs?.kind !== 'map') return [];
  const builds: BuildDeclaration[] = [];
  const rootDefault = get(get(get(root, 'defaults'), 'run'), 'working-directory');
  for (const job of jobs.entries) {
    const steps = get(job.value, 'steps');
    if (steps?.kind !== 'seq') continue;
    const jobDefault = get(get(get(job.value, 'defaults'), 'run'), 'working-directory');
    steps.items.forEach((step, index) => {
      const name = text(get(step, 'name')) ?? text(get(step, 'id')) ?? `step ${index + 1}`;
      const uses = text(get(step, 'uses'));
      if (uses?.startsWith('docker/build-push-action')) {
        const w = get(step, 'with');
        const input = (key: string) => text(get(w, key));
        const outputs = listInput(input('outputs'), false);
        const push = input('push') === 'true' || input('load') === 'true';
        const file = literal(input('file'));
        builds.push({
          kind: 'github-actions',
          line:
            (w?.kind === 'map' ? w.entries.find((e) => e.key === 'target')?.keyLine : undefined) ??
            step.line,
          label: `job ${job.key}, ${name}`,
          base: 'root',
          cwd: '.',
          context: literal(input('context')) ?? '.',
          dockerfile: file,
          dockerfileFrom: 'cwd',
          target: literal(input('target')),
          platforms: listInput(input('platforms'), true),
          args: buildArgs(input('build-args')),
          output:
            !push && Array.isArray(outputs) && outputs.length > 0 && outputs.every(isExport)
              ? 'export'
              : 'image',
        });
        return;
      }
      const run = get(step, 'run');
      if (run?.kind !== 'scalar' || typeof run.value !== 'string') return;
      const cwd = workingDirectory(get(step, 'working-directory'), jobDefault, rootDefault);
      const scope = envOf(get(root, 'env'), get(job.value, 'env'), get(step, 'env'));
      for (const found of shellBuilds(run.value, { scope, cwd }, run.textLine)) {
        builds.push({
          kind: 'github-actions',
          line: found.line,
          label: `job ${job.key}, ${name}: ${found.command}`,
          base: 'root',
          cwd: found.cwd,
          ...found.build,
        });
      }
    });
  }
  return builds;
}
