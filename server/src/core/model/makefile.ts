/**
 * A Makefile as GNU make reads it, as far as the analysis follows it: the variables it sets
 * (`NAME = value`, `:=`, `::=`, `?=`, `+=`, `export NAME = value`, `define … endef`), its rules
 * (targets, prerequisites, recipe lines) and its default goal. Targets and prerequisites are
 * expanded as make reads them, with the variables set so far; a recipe is expanded when it runs,
 * with all of them (`expandMake` with `variables`). A reference the Makefile does not set (a
 * variable given on make's command line or from the environment, a function such as
 * `$(shell …)`, an automatic variable) expands to `MAKE_UNKNOWN`. Conditionals are evaluated
 * where the Makefile's own values tell (make-conditionals.ts): a branch not taken is skipped, and
 * what a branch that may or may not be taken sets is unknown. Parsed in one pass, linear in the
 * text.
 */

import { Conditionals, type Truth } from './make-conditionals';

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

const CONTAINER_TOOLS = new Set(['docker', 'podman', 'nerdctl']);

/**
 * `$(shell command -v podman || echo docker)` and the like (`which`, a redirection, a second
 * lookup): a container tool, whichever is installed. The fallback stands for it; docker, podman
 * and nerdctl take the same build command line.
 */
function containerTool(call: string): string | undefined {
  if (!/^shell\s/.test(call)) return undefined;
  const parts = call.slice(6).split('||');
  if (parts.length !== 2) return undefined;
  const [tried, fallback] = parts.map((part) => part.trim().split(/\s+/));
  const lookedUp = (words: string[]) =>
    words[0] === 'which' ? words[1] : words[0] === 'command' && words[1] === '-v' ? words[2] : '';
  const last = fallback[0] === 'echo' && fallback.length === 2 ? fallback[1] : lookedUp(fallback);
  return CONTAINER_TOOLS.has(lookedUp(tried)) && CONTAINER_TOOLS.has(last) ? last : undefined;
}

/** The longest expansion kept: a longer one (`A = $(B)$(B)`, `B = $(C)$(C)`, …) ends unknown. */
const MAX_EXPANSION = 64 * 1024;

/**
 * A recipe line expanded as make runs it: the prefix characters a variable gives it (`Q := @`
 * then `$(Q)go build`, spire's `$(E)docker build`) count as written ones, and are dropped.
 */
export function expandRecipe(text: string, variables: ReadonlyMap<string, string>): string {
  // A variable glued to the command that make may set or not (`E := @` then `ifeq ($(V),1)`
  // `E =`): a prefix either way, whatever the branch.
  const glued = /^\$[({][A-Za-z_][A-Za-z0-9_]*[)}](?=[A-Za-z./])/.exec(text);
  const rest =
    glued && expandMake(glued[0], variables).includes(MAKE_UNKNOWN)
      ? text.slice(glued[0].length)
      : text;
  // A `$(call …)` of a multi-line `define` gives several recipe lines, each with its prefix.
  return expandMake(rest, variables).replace(/^[\t @+-]+/gm, '');
}

/**
 * `$(call NAME,a,b)`: the variable NAME (a `define` usually) expanded with `$(1)`, `$(2)`, … set
 * to the arguments, themselves expanded first.
 */
function callMacro(
  text: string,
  variables: ReadonlyMap<string, string>,
  depth: number,
  expanded: Map<string, string>,
  budget: { calls: number },
): string {
  // Macros that call themselves more than once would double the work at each level.
  if (++budget.calls > MAX_CALLS) return MAKE_UNKNOWN;
  const parts: string[] = [];
  let nested = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '{') nested++;
    else if (c === ')' || c === '}') nested--;
    else if (i === text.length || (c === ',' && nested === 0)) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  const name = expandMake(parts[0].trim(), variables, depth + 1, expanded, budget);
  const body = variables.get(name);
  if (body === undefined) return MAKE_UNKNOWN;
  const scope = new Map(variables);
  parts.forEach((arg, n) => {
    if (n > 0) scope.set(String(n), expandMake(arg, variables, depth + 1, expanded, budget));
  });
  return expandMake(body, scope, depth + 1, new Map(), budget);
}

/**
 * Expands make references in `text` with `variables`; unknown ones become `MAKE_UNKNOWN`. Each
 * variable is expanded once per call (`expanded`), and the result is cut, ending unknown, past
 * MAX_EXPANSION characters: a Makefile that doubles a value at each of many levels takes linear
 * time and memory, not exponential.
 */
export function expandMake(
  text: string,
  variables: ReadonlyMap<string, string>,
  depth = 0,
  expanded = new Map<string, string>(),
  budget = { calls: 0 },
): string {
  if (!text.includes('$')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (out.length > MAX_EXPANSION) return out.slice(0, MAX_EXPANSION) + MAKE_UNKNOWN;
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
      if (inner.startsWith('call ') && depth < MAX_DEPTH) {
        out += callMacro(inner.slice(5), variables, depth, expanded, budget);
        i = close;
        continue;
      }
      // A name, or a macro's argument (`$(1)`).
      const name = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(inner);
      const value = name ? variables.get(inner) : containerTool(inner);
      if (value === undefined || depth >= MAX_DEPTH) out += MAKE_UNKNOWN;
      else if (name) {
        let known = expanded.get(inner);
        if (known === undefined) {
          known = expandMake(value, variables, depth + 1, expanded, budget);
          expanded.set(inner, known);
        }
        out += known;
      } else out += expandMake(value, variables, depth + 1, expanded, budget);
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

/**
 * Where a comment starts in a line make reads (not a recipe): the first `#` not escaped with `\\`
 * and not inside a variable reference or function call (`$(shell echo '#')`), or -1.
 */
function commentStart(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
      depth++;
      i++;
    } else if (depth > 0 && (c === ')' || c === '}')) depth--;
    else if (depth === 0 && c === '#') return i;
  }
  return -1;
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

/** `$(call …)`s expanded for one text, at most. */
const MAX_CALLS = 256;

/** `$(eval …)` texts read within one another, at most this deep. */
const MAX_EVAL_DEPTH = 4;

/** Included files read within included files, at most this deep. */
const MAX_INCLUDE_DEPTH = 4;

/** The state of one reading of a Makefile and the files it includes. */
class MakefileReader {
  // make's own variable: `$(MAKE) target` runs make again.
  readonly variables = new Map<string, string>([['MAKE', 'make']]);
  readonly rules = new Map<string, MakeRule>();
  readonly recipes: RecipeLine[] = [];
  private targets: string[] | undefined;
  firstGoal: string | undefined;
  open = false;
  private define: { name: string; lines: string[]; active: Truth } | undefined;
  /** How many `$(eval …)` texts are being read, one within another. */
  private evaluating = 0;

  constructor(private readonly include?: (name: string) => string | undefined) {}

  private ruleOf(target: string): MakeRule {
    let rule = this.rules.get(target);
    if (!rule) this.rules.set(target, (rule = { prerequisites: [], recipe: [] }));
    return rule;
  }

  private addRecipe(recipe: string, line: number): void {
    if (!this.targets) return;
    const entry = { text: recipe, line, targets: this.targets };
    this.recipes.push(entry);
    for (const target of this.targets) this.ruleOf(target).recipe.push(entry);
  }

  /**
   * Reads a text: the Makefile (depth 0), or a file it includes, for its variables only; `at`,
   * the line of the `$(eval …)` whose text this is, for all its lines.
   */
  read(source: string, depth: number, at?: number): void {
    const own = depth === 0;
    const conditionals = new Conditionals({ expand: expandMake, unknown: MAKE_UNKNOWN });
    for (const { text: line, line: physical } of logical(source)) {
      const number = at ?? physical;
      if (this.define) {
        if (/^\s*endef\b/.test(line)) {
          this.setVariable(this.define.name, this.define.lines.join('\n'), this.define.active);
          this.define = undefined;
        } else this.define.lines.push(line);
        continue;
      }
      // A tab starts a recipe line only after a rule; before any, or after a variable
      // assignment, the line is read as any other (an assignment indented in a conditional).
      if (line.startsWith('\t') && this.targets) {
        if (own && conditionals.active !== false) {
          this.addRecipe(line.slice(1).replace(/^[\s@+-]+/, ''), number);
        }
        continue;
      }
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const comment = commentStart(trimmed);
      if (
        conditionals.read(
          (comment < 0 ? trimmed : trimmed.slice(0, comment)).trim(),
          this.variables,
        )
      ) {
        continue;
      }
      const active = conditionals.active;
      const defined = /^(?:(?:export|override)\s+)*define\s+([A-Za-z_][A-Za-z0-9_.-]*)/.exec(
        trimmed,
      );
      if (defined) {
        this.define = { name: defined[1], lines: [], active };
        continue;
      }
      if (active === false) continue;
      // `$(eval $(call rule,a,b))`: the expanded text is read as lines of this Makefile (the
      // rules a macro writes for each image or component).
      if (own && trimmed.startsWith('$(eval ') && this.evaluating < MAX_EVAL_DEPTH) {
        const close = closing(trimmed, 1);
        if (close > 0) {
          this.evaluating++;
          this.read(expandMake(trimmed.slice(7, close), this.variables), depth, number);
          this.evaluating--;
          continue;
        }
      }
      const included = /^(?:-?include|sinclude)\s/.exec(trimmed);
      if (included) {
        // Included under a condition not known too (`ifneq ($(wildcard .env),)`): such a guard
        // usually asks whether the file is there, and it is read only when it is.
        this.includeFiles(trimmed.slice(included[0].length), depth);
        continue;
      }
      const assigned = assignment(trimmed);
      if (assigned) {
        if (active) assign(this.variables, assigned);
        // `ifndef NAME` … `NAME = value` … `endif` is `NAME ?= value`.
        else if (assigned.name === conditionals.defaultFor && assigned.op !== '+=') {
          assign(this.variables, assigned);
        }
        // Set in a branch that may not be taken: unknown (`?=` of a set variable does nothing).
        else if (assigned.op !== '?=' || !this.variables.has(assigned.name)) {
          this.variables.set(assigned.name, MAKE_UNKNOWN);
        }
        if (own) this.targets = undefined;
      }
      // In an included file only the variables are read: its rules are not this file's lines.
      else if (own) this.ruleLine(trimmed, number);
    }
    // A `define` an included file leaves open ends with it.
    if (!own) this.define = undefined;
  }

  /** Sets a `define`d variable, or makes it unknown when set in a branch that may not be taken. */
  private setVariable(name: string, value: string, active: Truth): void {
    if (active === true) this.variables.set(name, value);
    else if (active === undefined) this.variables.set(name, MAKE_UNKNOWN);
  }

  /** `include a.mk b.mk`: each file, when its name is known and there is a reader. */
  private includeFiles(list: string, depth: number): void {
    this.open = true;
    if (!this.include || depth >= MAX_INCLUDE_DEPTH) return;
    // A comment after the names (` # …`) is not part of them.
    const comment = list.search(/\s#/);
    const names = expandMake(comment >= 0 ? list.slice(0, comment) : list, this.variables)
      .split(/\s+/)
      .filter((n) => n !== '' && !n.includes(MAKE_UNKNOWN) && !/[*?[]/.test(n));
    for (const name of names) {
      const text = this.include(name);
      if (text !== undefined) this.read(text, depth + 1);
    }
  }

  /** A rule line (`targets: prerequisites ; recipe`); other directives are passed over. */
  private ruleLine(trimmed: string, number: number): void {
    const ruleMatch = RULE.exec(trimmed);
    if (!ruleMatch) return; // Conditionals and other directives: nothing to read.
    const names = expandMake(ruleMatch[1], this.variables).trim().split(/\s+/);
    let rest = trimmed.slice(ruleMatch[0].length);
    if (rest.startsWith(':')) rest = rest.slice(1); // `target::`, a double-colon rule
    // `target: NAME = value` sets a variable for the target: no rule, no recipe after it.
    if (assignment(rest.trim())) {
      this.targets = undefined;
      return;
    }
    this.targets = names;
    if (names.some((n) => n.includes('%'))) this.open = true;
    // A comment (`deps: ## Install dependencies.`) ends the prerequisites; after a `;`, the
    // recipe's `#` is the shell's.
    const comment = commentStart(rest);
    const semicolonAt = rest.indexOf(';');
    if (comment >= 0 && (semicolonAt < 0 || comment < semicolonAt)) rest = rest.slice(0, comment);
    const semicolon = rest.indexOf(';');
    const prerequisiteText = semicolon >= 0 ? rest.slice(0, semicolon) : rest;
    // A static pattern rule (`objs: %.o: %.c`) lists patterns after its second colon.
    const lastColon = prerequisiteText.lastIndexOf(':');
    const prerequisites = expandMake(prerequisiteText.slice(lastColon + 1), this.variables)
      .split(/\s+/)
      .filter((p) => p !== '' && p !== '|');
    for (const name of names) this.ruleOf(name).prerequisites.push(...prerequisites);
    this.firstGoal ??= names.find(
      (n) => !n.includes('%') && (!n.startsWith('.') || n.includes('/')),
    );
    // A recipe may start on the rule line after `;`.
    if (semicolon >= 0) this.addRecipe(rest.slice(semicolon + 1).trim(), number);
  }
}

/**
 * Reads a Makefile's variables, rules and default goal. Never throws. With `include`, the files
 * an `include`, `-include` or `sinclude` line names (once expanded, when no part is unknown) are
 * read for the variables they set (a `.env` file, a shared `variables.mk`), in place, as make
 * does; their rules and recipes are left to the files themselves.
 */
export function parseMakefile(
  text: string,
  include?: (name: string) => string | undefined,
): Makefile {
  const reader = new MakefileReader(include);
  reader.read(text, 0);
  const { variables, firstGoal } = reader;
  const goal = variables.get('.DEFAULT_GOAL');
  return {
    variables,
    rules: reader.rules,
    recipes: reader.recipes,
    defaultGoal: goal !== undefined ? expandMake(goal, variables).trim() || firstGoal : firstGoal,
    open: reader.open,
  };
}
