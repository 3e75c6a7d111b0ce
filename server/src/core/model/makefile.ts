/**
 * A Makefile as GNU make reads it, as far as the analysis follows it: the variables it sets
 * (`NAME = value`, `:=`, `::=`, `?=`, `+=`, `export NAME = value`, `define … endef`), its rules
 * (targets, prerequisites, recipe lines) and its default goal. Targets and prerequisites are
 * expanded as make reads them, with the variables set so far; a recipe is expanded when it runs,
 * with all of them (`expandMake` with `variables`). A reference the Makefile does not set (a
 * variable given on make's command line or from the environment, a function such as
 * `$(shell …)`, an automatic variable) expands to `MAKE_UNKNOWN`. Conditionals are not
 * evaluated: the lines of every branch count. Parsed in one pass, linear in the text.
 */

/** References expanded within one value at most this deep (`A = $(B)`, `B = $(C)`, …). */
const MAX_DEPTH = 16;

/** What a reference the Makefile does not set expands to: a shell variable no one sets. */
export const MAKE_UNKNOWN = '${__make_unknown__}';

/** One recipe line (continuation lines joined), with the rule's targets. */
export interface RecipeLine {
  text: string;
  /** Zero-based line of the Makefile the recipe line starts on. */
  line: number;
  targets: readonly string[];
}

/** What the rules of one target say (repeated and double-colon rules merged, in order). */
export interface MakeRule {
  /** Prerequisites as expanded; an order-only one (after `|`) too. */
  prerequisites: string[];
  recipe: RecipeLine[];
}

export interface Makefile {
  /** The variables the whole Makefile sets, as written (`:=` ones already expanded). */
  variables: ReadonlyMap<string, string>;
  /** The rules by target. */
  rules: ReadonlyMap<string, MakeRule>;
  /** Every recipe line, in the order of the file. */
  recipes: readonly RecipeLine[];
  /** What `make` with no target builds: `.DEFAULT_GOAL`, else the first ordinary target. */
  defaultGoal?: string;
  /**
   * Rules may come from elsewhere or match by pattern: the Makefile includes others, or has
   * pattern rules (`%.o: %.c`), so a target without a rule of its own may still have a recipe.
   */
  open: boolean;
}

interface Line {
  text: string;
  line: number;
}

/** Joins backslash-continued lines, keeping the line each logical line starts on. */
function logical(text: string): Line[] {
  const result: Line[] = [];
  const physical = text.split(/\r?\n/);
  for (let i = 0; i < physical.length; i++) {
    const start = i;
    let current = physical[i];
    while (current.endsWith('\\') && i + 1 < physical.length) {
      current = current.slice(0, -1) + ' ' + physical[++i].replace(/^\t/, '');
    }
    result.push({ text: current, line: start });
  }
  return result;
}

// `.DEFAULT_GOAL` and make's other special variables start with a dot.
const NAME = /[A-Za-z_.][A-Za-z0-9_.-]*/y;
const OPERATORS = ['?=', ':::=', '::=', ':=', '+=', '!=', '='];

/** `NAME = value` (with `:=`, `?=`, …, after `export` or `override`), else undefined. */
function assignment(line: string): { name: string; op: string; value: string } | undefined {
  let at = 0;
  for (;;) {
    const word = /^(export|override)[ \t]/.exec(line.slice(at, at + 9));
    if (!word) break;
    at += word[0].length;
    while (line[at] === ' ' || line[at] === '\t') at++;
  }
  NAME.lastIndex = at;
  const name = NAME.exec(line)?.[0];
  if (name === undefined) return undefined;
  at += name.length;
  while (line[at] === ' ' || line[at] === '\t') at++;
  const op = OPERATORS.find((o) => line.startsWith(o, at));
  if (op === undefined) return undefined;
  let value = line.slice(at + op.length);
  // A comment after the value (` # …`) is not part of it.
  const comment = value.search(/\s#/);
  if (comment >= 0) value = value.slice(0, comment);
  return { name, op, value: value.trim() };
}

/** Sets a variable as make does for the operator. */
function assign(
  variables: Map<string, string>,
  { name, op, value }: { name: string; op: string; value: string },
): void {
  if (op === '?=') {
    if (!variables.has(name)) variables.set(name, value);
  } else if (op === ':=' || op === '::=' || op === ':::=') {
    variables.set(name, expandMake(value, variables));
  } else if (op === '+=') {
    variables.set(name, `${variables.get(name) ?? ''} ${value}`.trim());
  } else if (op === '!=') {
    variables.set(name, MAKE_UNKNOWN);
  } else {
    variables.set(name, value);
  }
}

const RULE = /^([^\s:=#][^:=#]*):(?!=)/;

/** Expands make references in `text` with `variables`; unknown ones become `MAKE_UNKNOWN`. */
export function expandMake(
  text: string,
  variables: ReadonlyMap<string, string>,
  depth = 0,
): string {
  if (!text.includes('$')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      // `$$` is a `$` for the shell.
      out += '$';
      i++;
      continue;
    }
    if (next === '(' || next === '{') {
      const close = closing(text, i + 1);
      if (close < 0) return out + MAKE_UNKNOWN;
      const inner = text.slice(i + 2, close);
      const value = /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(inner) ? variables.get(inner) : undefined;
      out +=
        value === undefined || depth >= MAX_DEPTH
          ? MAKE_UNKNOWN
          : expandMake(value, variables, depth + 1);
      i = close;
      continue;
    }
    if (next !== undefined && /[A-Za-z0-9_@<^+*?%]/.test(next)) {
      // `$@`, `$<`, `$X`: automatic or one-letter variables.
      const value = variables.get(next);
      out += value === undefined ? MAKE_UNKNOWN : value;
      i++;
      continue;
    }
    out += c;
  }
  return out;
}

/** The index of the bracket closing the one at `open`, or -1. */
function closing(text: string, open: number): number {
  const opener = text[open];
  const closer = opener === '(' ? ')' : '}';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === opener) depth++;
    else if (text[i] === closer && --depth === 0) return i;
  }
  return -1;
}

/** Reads a Makefile's variables, rules and default goal. Never throws. */
export function parseMakefile(text: string): Makefile {
  // make's own variable: `$(MAKE) target` runs make again.
  const variables = new Map<string, string>([['MAKE', 'make']]);
  const rules = new Map<string, MakeRule>();
  const recipes: RecipeLine[] = [];
  let targets: string[] | undefined;
  let firstGoal: string | undefined;
  let open = false;
  let define: { name: string; lines: string[] } | undefined;
  const ruleOf = (target: string) => {
    let rule = rules.get(target);
    if (!rule) rules.set(target, (rule = { prerequisites: [], recipe: [] }));
    return rule;
  };
  const addRecipe = (recipe: string, line: number) => {
    if (!targets) return;
    const entry = { text: recipe, line, targets };
    recipes.push(entry);
    for (const target of targets) ruleOf(target).recipe.push(entry);
  };
  for (const { text: line, line: number } of logical(text)) {
    if (define) {
      if (/^\s*endef\b/.test(line)) {
        variables.set(define.name, define.lines.join('\n'));
        define = undefined;
      } else define.lines.push(line);
      continue;
    }
    if (line.startsWith('\t')) {
      addRecipe(line.slice(1).replace(/^[\s@+-]+/, ''), number);
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const defined = /^(?:(?:export|override)\s+)*define\s+([A-Za-z_][A-Za-z0-9_.-]*)/.exec(trimmed);
    if (defined) {
      define = { name: defined[1], lines: [] };
      continue;
    }
    if (/^-?include\s|^sinclude\s/.test(trimmed)) {
      open = true;
      continue;
    }
    const assigned = assignment(trimmed);
    if (assigned) {
      assign(variables, assigned);
      continue;
    }
    const ruleMatch = RULE.exec(trimmed);
    if (!ruleMatch) continue; // Conditionals and other directives: nothing to read.
    const names = expandMake(ruleMatch[1], variables).trim().split(/\s+/);
    let rest = trimmed.slice(ruleMatch[0].length);
    if (rest.startsWith(':')) rest = rest.slice(1); // `target::`, a double-colon rule
    // `target: NAME = value` sets a variable for the target: no rule, no recipe after it.
    if (assignment(rest.trim())) {
      targets = undefined;
      continue;
    }
    targets = names;
    if (names.some((n) => n.includes('%'))) open = true;
    const semicolon = rest.indexOf(';');
    const prerequisiteText = semicolon >= 0 ? rest.slice(0, semicolon) : rest;
    // A static pattern rule (`objs: %.o: %.c`) lists patterns after its second colon.
    const lastColon = prerequisiteText.lastIndexOf(':');
    const prerequisites = expandMake(prerequisiteText.slice(lastColon + 1), variables)
      .split(/\s+/)
      .filter((p) => p !== '' && p !== '|');
    for (const name of names) ruleOf(name).prerequisites.push(...prerequisites);
    firstGoal ??= names.find((n) => !n.includes('%') && (!n.startsWith('.') || n.includes('/')));
    // A recipe may start on the rule line after `;`.
    if (semicolon >= 0) addRecipe(rest.slice(semicolon + 1).trim(), number);
  }
  const goal = variables.get('.DEFAULT_GOAL');
  return {
    variables,
    rules,
    recipes,
    defaultGoal: goal !== undefined ? expandMake(goal, variables).trim() || firstGoal : firstGoal,
    open,
  };
}
