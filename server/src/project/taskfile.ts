/**
 * Builds in Taskfiles (go-task: `Taskfile.yml`, `taskfile.yaml`, `Taskfile.dist.yml`): the
 * command strings of each task's `cmds` (a task may be a list of commands, or one), run from the
 * Taskfile's folder or the task's `dir`. Go template references to the file's and the task's
 * literal `vars` (`{{.IMAGE}}`) are filled in, `{{.TASKFILE_DIR}}` and `{{.ROOT_DIR}}` are the
 * Taskfile's folder; any other template (a `sh:` variable, `{{.CLI_ARGS}}`, a function) is
 * unknown. `env` values are the shell's variables. Each command runs in a shell of its own.
 */
import { SCRIPT_DIR_MARK, shellBuilds } from './command-line';
import type { BuildDeclaration } from './types';
import { get, parseYaml, text, type YamlNode, type YamlScalar } from './yaml-tree';

/** A template action: `{{.NAME}}`, `{{ .NAME }}`, or anything else between the braces. */
const TEMPLATE = /\{\{([^{}]*)\}\}/g;
const REFERENCE = /^\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** What the Taskfile's folder is written as for the shell reader. */
const OWN_FOLDER = new Map([
  ['TASKFILE_DIR', SCRIPT_DIR_MARK],
  ['ROOT_DIR', SCRIPT_DIR_MARK],
  ['ROOT_TASKFILE', `${SCRIPT_DIR_MARK}/Taskfile.yml`],
]);

type Values = Map<string, string | null>;

/** The literal values of a `vars` or `env` map; one given by `sh:` or a reference is unknown. */
function valuesOf(node: YamlNode | undefined, into: Values, templates: Values): void {
  if (node?.kind !== 'map') return;
  for (const entry of node.entries) {
    const value = text(entry.value);
    into.set(entry.key, value === undefined ? null : fill(value, templates));
  }
}

/**
 * Fills the template actions of a text. One not known becomes `unknown` (null: the whole value
 * is unknown; a string: written in its place, a shell variable no one sets).
 */
function fill(value: string, vars: Values, unknown: string | null = null): string | null {
  let missing = false;
  const filled = value.replace(TEMPLATE, (_, written: string) => {
    // `{{- .NAME -}}` trims blanks around the action; the action is what is inside.
    let action = written.trim();
    if (action.startsWith('-')) action = action.slice(1).trim();
    if (action.endsWith('-')) action = action.slice(0, -1).trim();
    const name = REFERENCE.exec(action)?.[1];
    const known = name === undefined ? undefined : (OWN_FOLDER.get(name) ?? vars.get(name));
    if (typeof known === 'string') return known;
    missing = true;
    return unknown ?? '';
  });
  return missing && unknown === null ? null : filled;
}

/** What an unknown template becomes in a command: a variable the shell reader cannot know. */
const UNKNOWN = '${TASK_TEMPLATE_VALUE}';

/** A task's command strings: `cmds` items (strings, or maps with `cmd`), or the task itself. */
function commandsOf(task: YamlNode): YamlScalar[] {
  const list = task.kind === 'map' ? get(task, 'cmds') : task;
  const items = list?.kind === 'seq' ? list.items : list ? [list] : [];
  const out: YamlScalar[] = [];
  for (const item of items) {
    const command = item.kind === 'map' ? get(item, 'cmd') : item;
    if (command?.kind === 'scalar' && typeof command.value === 'string') out.push(command);
  }
  return out;
}

/** The builds of a Taskfile. Throws YamlError when it is not YAML. */
export function taskfileBuilds(source: string): BuildDeclaration[] {
  const root = parseYaml(source);
  const tasks = get(root, 'tasks');
  if (tasks?.kind !== 'map') return [];
  const vars: Values = new Map();
  valuesOf(get(root, 'vars'), vars, vars);
  const env: Values = new Map();
  valuesOf(get(root, 'env'), env, vars);
  const builds: BuildDeclaration[] = [];
  for (const task of tasks.entries) {
    const taskVars = new Map(vars);
    const scope = new Map(env);
    let cwd: string | null = '.';
    if (task.value.kind === 'map') {
      valuesOf(get(task.value, 'vars'), taskVars, taskVars);
      valuesOf(get(task.value, 'env'), scope, taskVars);
      const dir = text(get(task.value, 'dir'));
      if (dir !== undefined) cwd = fill(dir, taskVars);
    }
    for (const command of commandsOf(task.value)) {
      const written = fill(String(command.value), taskVars, UNKNOWN) ?? '';
      const state = { scope: new Map(scope), cwd };
      for (const build of shellBuilds(written, state, command.textLine)) {
        builds.push({
          kind: 'taskfile',
          line: build.line,
          label: `task ${task.key}: ${build.command}`,
          base: 'file',
          cwd: build.cwd,
          ...build.build,
        });
      }
    }
  }
  return builds;
}
