/**
 * Builds in justfiles (`justfile`, `.justfile`, `*.just` modules): the lines of each recipe, run
 * from the justfile's folder, each line in a shell of its own (a `cd` does not carry on), except
 * in a recipe with a shebang, whose lines are one script. Interpolations (`{{IMAGE}}`) of the
 * file's variables are filled in when their values are literal (strings, other variables, `+`
 * and `/` joins, `justfile_directory()`), and a parameter's default stands for it; anything else
 * (a backtick command, `env_var()`, a parameter without a default) is unknown.
 */
import { SCRIPT_DIR_MARK, shellBuilds } from './command-line';
import type { BuildDeclaration } from './types';

type Values = Map<string, string | null>;

const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_-]*)\s*:=(.*)$/;
const RECIPE_NAME = /^@?([A-Za-z_][A-Za-z0-9_-]*)/;

/**
 * A recipe's header, `name param='default' +rest: deps`: its name and the text of its
 * parameters; undefined for any other line (`alias b := build`, `set shell := […]`).
 */
function recipeHeader(line: string): { name: string; parameters: string } | undefined {
  const name = RECIPE_NAME.exec(line);
  if (!name) return undefined;
  let quote: string | undefined;
  for (let i = name[0].length; i < line.length; i++) {
    const c = line[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === ':') {
      if (line[i + 1] === '=') return undefined;
      return { name: name[1], parameters: line.slice(name[0].length, i) };
    }
  }
  return undefined;
}
const INTERPOLATION = /\{\{([^{}]*)\}\}/g;
const OWN_FOLDER = /^(?:justfile_directory|justfile_dir|source_directory|source_dir)\(\)$/;
/** What an unknown interpolation becomes in a command: a variable the shell reader cannot know. */
const UNKNOWN = '${JUST_VALUE}';

/** The value of a just expression made of strings, names, `+` and `/`; null when not known. */
function evaluate(expression: string, values: Values): string | null {
  const parts = expression.split(/([+/])/).map((part) => part.trim());
  let result = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i % 2 === 1) {
      result += part === '/' ? '/' : '';
      continue;
    }
    const quoted = /^'([^']*)'$|^"([^"\\]*)"$/.exec(part);
    if (quoted) result += quoted[1] ?? quoted[2];
    else if (OWN_FOLDER.test(part)) result += SCRIPT_DIR_MARK;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part) && typeof values.get(part) === 'string')
      result += values.get(part) as string;
    else return null;
  }
  return result;
}

/** The recipe's parameters with a default, as values; those without one are unknown. */
function parameters(text: string, values: Values): Values {
  const own = new Map(values);
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf('=');
    const name = (eq < 0 ? word : word.slice(0, eq)).replace(/^[+*$]/, '');
    own.set(name, eq < 0 ? null : evaluate(word.slice(eq + 1), values));
  }
  return own;
}

/** The builds of a justfile. */
export function justfileBuilds(source: string): BuildDeclaration[] {
  const lines = source.split(/\r?\n/);
  const values: Values = new Map();
  const builds: BuildDeclaration[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s/.test(line) || line.startsWith('#')) continue;
    const assignment = ASSIGNMENT.exec(line);
    if (assignment) {
      // A comment after the value (` # …`); a value with ` #` inside a string is then unknown.
      const hash = assignment[2].indexOf(' #');
      const expression = hash < 0 ? assignment[2] : assignment[2].slice(0, hash);
      values.set(assignment[1], evaluate(expression, values));
      continue;
    }
    const recipe = recipeHeader(line);
    if (!recipe) continue;
    const own = parameters(recipe.parameters, values);
    const body: { text: string; line: number }[] = [];
    for (let j = i + 1; j < lines.length && (lines[j] === '' || /^\s/.test(lines[j])); j++) {
      if (lines[j].trim() !== '') body.push({ text: lines[j].trim(), line: j });
    }
    const shebang = body[0]?.text.startsWith('#!') ?? false;
    const state = { scope: new Map<string, string | null>(), cwd: '.' as string | null };
    for (const { text, line: at } of body) {
      const command = text
        .replace(/^[@-]+/, '')
        .replace(INTERPOLATION, (_, expression: string) => evaluate(expression, own) ?? UNKNOWN);
      // Without a shebang, each line runs in a new shell from the justfile's folder.
      const lineState = shebang ? state : { scope: new Map<string, string | null>(), cwd: '.' };
      for (const build of shellBuilds(command, lineState, at)) {
        builds.push({
          kind: 'justfile',
          line: build.line,
          label: `recipe ${recipe.name}: ${build.command}`,
          base: 'file',
          cwd: build.cwd,
          ...build.build,
        });
      }
    }
  }
  return builds;
}
