/**
 * Builds in GitHub Actions workflows (.github/workflows/*.yml) and composite actions
 * (`action.yml`, `action.yaml`): docker/build-push-action steps (`with:` `context`, `file`,
 * `target`, `platforms`, `build-args`, `outputs`, `push`, `load`), and build commands in `run:`
 * steps, which run from the repository root (or the step's or the job's `working-directory`). A
 * build that names no platform on a Windows runner (`runs-on: windows-2022`) builds for Windows.
 * A `${{ … }}` expression is unknown (an input, a secret), except `${{ env.NAME }}` when an
 * `env:` map in force (the workflow's, the job's, the step's) gives it literally, and
 * `${{ matrix.NAME }}` in a build-push-action step when the job's matrix gives NAME's values (its
 * lists, `include` and `exclude`): the step is then one build per value.
 */
import {
  REPO_ROOT_MARK,
  outputKind,
  outputType,
  shellBuilds,
  splitPlatforms,
} from './command-line';
import type { BuildArg, BuildDeclaration } from './types';
import { get, keyLine, parseYaml, text, type YamlNode } from './yaml-tree';

/** A `with:` value, or null when it holds an expression. */
function literal(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value.includes('${{') ? null : value;
}

/**
 * The `outputs` input: one output per line; an output with an expression is unknown (null) unless
 * its `type=` is written out (`type=image,name=ghcr.io/${{ env.REPO }}` is an image).
 */
function outputsInput(value: string | undefined): (string | null)[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      if (!l.includes('${{')) return l;
      const type = outputType(l);
      return type !== undefined && !type.includes('${{') ? `type=${type}` : null;
    });
}

/** The `platforms` input: one platform per line or comma. */
function platformsInput(value: string | undefined): string[] | null | undefined {
  const raw = literal(value);
  if (raw === undefined || raw === null) return raw;
  return splitPlatforms(raw);
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

/** Matrix combinations a step expands to, at most. */
const MAX_COMBINATIONS = 16;
const MATRIX_REFERENCE = /\$\{\{\s*matrix\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;

/**
 * The values of the matrix variables a step's `with:` uses, one map per combination, as GitHub
 * expands `strategy.matrix`: the product of its lists (`target: [api, worker]` makes two builds),
 * less the `exclude` entries, with each `include` entry added to the combinations whose values
 * it matches (or made a combination of its own when it matches none). A variable that is not a
 * plain list, an entry that is not a plain map, or more than MAX_COMBINATIONS combinations: the
 * step is one build and the references stay unknown.
 */
function matrixCombinations(
  inputs: YamlNode | undefined,
  matrix: YamlNode | undefined,
): Map<string, string>[] {
  const used = new Set<string>();
  if (inputs?.kind === 'map') {
    for (const entry of inputs.entries) {
      for (const m of (text(entry.value) ?? '').matchAll(MATRIX_REFERENCE)) used.add(m[1]);
    }
  }
  if (used.size === 0 || matrix?.kind !== 'map') return [new Map()];
  const expanded = expandMatrix(matrix, used);
  if (expanded === undefined || expanded.length > MAX_COMBINATIONS) return [new Map()];
  // Only the variables the step reads tell its builds apart.
  const seen = new Set<string>();
  const result: Map<string, string>[] = [];
  for (const combination of expanded) {
    const values = new Map(
      [...used].flatMap((n) => (combination.has(n) ? [[n, combination.get(n)!]] : [])),
    );
    const key = JSON.stringify([...values]);
    if (!seen.has(key)) {
      seen.add(key);
      result.push(values as Map<string, string>);
    }
  }
  return result.length > 0 ? result : [new Map()];
}

/** A map of scalars (`{pkg: api, dockerfile: Dockerfile.api}`) as values, or undefined. */
function scalarMap(node: YamlNode): Map<string, string> | undefined {
  if (node.kind !== 'map') return undefined;
  const values = new Map<string, string>();
  for (const entry of node.entries) {
    const value = text(entry.value);
    if (value === undefined) return undefined;
    values.set(entry.key, value);
  }
  return values;
}

/**
 * Every combination of a `strategy.matrix`, or undefined when what the step reads is not plain
 * data. A variable the step does not read may be an expression (`go: ${{ fromJSON(…) }}`): it is
 * left out, and so are include and exclude values of it.
 */
function expandMatrix(
  matrix: YamlNode & { kind: 'map' },
  used: ReadonlySet<string>,
): Map<string, string>[] | undefined {
  let combinations: Map<string, string>[] = [new Map()];
  const original = new Set<string>();
  const ignored = new Set<string>();
  for (const { key, value } of matrix.entries) {
    if (key === 'include' || key === 'exclude') continue;
    if (value.kind !== 'seq' || value.items.some((i) => text(i) === undefined)) {
      if (used.has(key)) return undefined;
      ignored.add(key);
      continue;
    }
    original.add(key);
    combinations = combinations.flatMap((c) =>
      value.items.map((i) => new Map([...c, [key, text(i)!]])),
    );
    if (combinations.length > MAX_COMBINATIONS * 4) return undefined;
  }
  if (original.size === 0) combinations = [];
  const entries = (name: string): Map<string, string>[] | undefined => {
    const list = get(matrix, name);
    if (list === undefined) return [];
    if (list.kind !== 'seq') return undefined;
    const maps = list.items.map(scalarMap);
    return maps.every((m) => m !== undefined) ? (maps as Map<string, string>[]) : undefined;
  };
  // An exclude that names a variable left out takes out only some of these combinations, not
  // known which: it is left out too; an include's values of such a variable are not needed.
  const excluded = entries('exclude')?.filter((e) => ![...ignored].some((k) => e.has(k)));
  const included = entries('include');
  if (excluded === undefined || included === undefined) return undefined;
  for (const entry of included) for (const k of ignored) entry.delete(k);
  const matches = (
    combination: Map<string, string>,
    entry: Map<string, string>,
    keys: Iterable<string>,
  ) => [...keys].every((k) => !entry.has(k) || combination.get(k) === entry.get(k));
  combinations = combinations.filter((c) => !excluded.some((e) => matches(c, e, e.keys())));
  const base = combinations.length;
  for (const entry of included) {
    let added = false;
    // An entry joins the original combinations whose original values it matches, adding its
    // other values (which may replace those an earlier entry added).
    for (const combination of combinations.slice(0, base)) {
      const originals = [...entry.keys()].filter((k) => original.has(k));
      if (!matches(combination, entry, originals)) continue;
      for (const [k, v] of entry) if (!original.has(k)) combination.set(k, v);
      added = true;
    }
    if (!added) combinations.push(new Map(entry));
  }
  return combinations;
}

const ENV_REFERENCE = /\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * A text with the `${{ env.NAME }}` expressions put in whose value an `env:` map in force gives
 * literally (on one line); the others stay, unknown.
 */
function withEnv(value: string | undefined, env: ReadonlyMap<string, string | null>) {
  if (value === undefined || !value.includes('env.')) return value;
  return value.replace(ENV_REFERENCE, (whole, name: string) => {
    const known = env.get(name);
    return typeof known === 'string' && !known.includes('\n') && name !== 'GITHUB_WORKSPACE'
      ? known
      : whole;
  });
}

/** An input with the matrix values of one combination put in. */
function withMatrix(
  value: string | undefined,
  values: ReadonlyMap<string, string>,
): string | undefined {
  if (value === undefined || values.size === 0) return value;
  return value.replace(MATRIX_REFERENCE, (whole, name: string) => values.get(name) ?? whole);
}

/** Where a list of steps runs: a workflow's job, or a composite action. */
interface StepsScope {
  /** `job NAME` or `composite action`, the start of each build's label. */
  label: string;
  /** The job's `strategy.matrix`, for build-push-action inputs that read it. */
  matrix: YamlNode | undefined;
  /** The `env:` maps in force, outermost first (the step's own is added). */
  env: (YamlNode | undefined)[];
  /** The `defaults.run.working-directory` values in force, innermost first. */
  defaults: (YamlNode | undefined)[];
  /**
   * The platform of the job's runner when it is a Windows one (`runs-on: windows-2022`): Docker
   * there builds Windows images, the platform of a build that names none.
   */
  runnerPlatform?: string;
}

/** The platform a job's `runs-on` implies for its builds: Windows runners build Windows images. */
function runnerPlatform(runsOn: YamlNode | undefined): string | undefined {
  const labels = runsOn?.kind === 'seq' ? runsOn.items.map((i) => text(i)) : [text(runsOn)];
  return labels.some((label) => label !== undefined && /^windows(-|$)/i.test(label))
    ? 'windows/amd64'
    : undefined;
}

/** The platforms a build names, else the runner's (when it implies one). */
function platformsOr(
  platforms: string[] | null | undefined,
  scope: StepsScope,
): string[] | null | undefined {
  return platforms === undefined && scope.runnerPlatform ? [scope.runnerPlatform] : platforms;
}

/** The builds of a list of steps: build-push-action steps and build commands in `run:`. */
function stepsBuilds(steps: YamlNode | undefined, scope: StepsScope): BuildDeclaration[] {
  if (steps?.kind !== 'seq') return [];
  const builds: BuildDeclaration[] = [];
  steps.items.forEach((step, index) => {
    const name = text(get(step, 'name')) ?? text(get(step, 'id')) ?? `step ${index + 1}`;
    const uses = text(get(step, 'uses'));
    const env = envOf(...scope.env, get(step, 'env'));
    if (uses?.startsWith('docker/build-push-action')) {
      const w = get(step, 'with');
      for (const values of matrixCombinations(w, scope.matrix)) {
        const input = (key: string) => withEnv(withMatrix(text(get(w, key)), values), env);
        const outputs = outputsInput(input('outputs'));
        const push = input('push') === 'true' || input('load') === 'true';
        const file = literal(input('file'));
        const shown = [...values].map(([k, v]) => `${k}=${v}`).join(', ');
        builds.push({
          kind: 'github-actions',
          line: keyLine(w, 'target') ?? step.line,
          label: `${scope.label}, ${name}${shown ? ` (matrix ${shown})` : ''}`,
          base: 'root',
          cwd: '.',
          context: literal(input('context')) ?? '.',
          dockerfile: file,
          dockerfileFrom: 'cwd',
          target: literal(input('target')),
          platforms: platformsOr(platformsInput(input('platforms')), scope),
          args: buildArgs(input('build-args')),
          output: outputKind(outputs, push),
        });
      }
      return;
    }
    const run = get(step, 'run');
    if (run?.kind !== 'scalar' || typeof run.value !== 'string') return;
    const cwd = workingDirectory(get(step, 'working-directory'), ...scope.defaults);
    // GitHub puts the expressions in before the shell runs the script.
    for (const found of shellBuilds(withEnv(run.value, env)!, { scope: env, cwd }, run.textLine)) {
      builds.push({
        kind: 'github-actions',
        line: found.line,
        label: `${scope.label}, ${name}: ${found.command}`,
        base: 'root',
        cwd: found.cwd,
        ...found.build,
        platforms: platformsOr(found.build.platforms, scope),
      });
    }
  });
  return builds;
}

/**
 * The builds of a workflow file, or of a composite action (`action.yml` whose `runs.using` is
 * `composite`: its steps run in the calling workflow's workspace, the repository root). Throws
 * YamlError when it is not YAML.
 */
export function workflowBuilds(source: string): BuildDeclaration[] {
  const root = parseYaml(source);
  const builds: BuildDeclaration[] = [];
  const jobs = get(root, 'jobs');
  const rootDefault = get(get(get(root, 'defaults'), 'run'), 'working-directory');
  for (const job of jobs?.kind === 'map' ? jobs.entries : []) {
    builds.push(
      ...stepsBuilds(get(job.value, 'steps'), {
        label: `job ${job.key}`,
        matrix: get(get(job.value, 'strategy'), 'matrix'),
        env: [get(root, 'env'), get(job.value, 'env')],
        defaults: [get(get(get(job.value, 'defaults'), 'run'), 'working-directory'), rootDefault],
        runnerPlatform: runnerPlatform(get(job.value, 'runs-on')),
      }),
    );
  }
  const runs = get(root, 'runs');
  const image = text(get(runs, 'image'));
  if (text(get(runs, 'using')) === 'docker' && image !== undefined && !image.includes('://')) {
    // A Docker container action: GitHub builds the Dockerfile it names (from the action's
    // folder, its context) and runs the image as root.
    builds.push({
      kind: 'github-actions',
      line: keyLine(runs, 'image') ?? 0,
      label: 'Docker container action',
      base: 'file',
      cwd: '.',
      context: '.',
      dockerfile: image,
      dockerfileFrom: 'cwd',
      target: undefined,
      platforms: undefined,
      args: [],
      output: 'image',
      runner: 'github-docker-action',
    });
  }
  if (text(get(runs, 'using')) === 'composite') {
    builds.push(
      ...stepsBuilds(get(runs, 'steps'), {
        label: 'composite action',
        matrix: undefined,
        env: [],
        defaults: [],
      }),
    );
  }
  return builds;
}
