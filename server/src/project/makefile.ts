/**
 * Build commands in a Makefile: the recipe lines of its rules, with the variables the Makefile
 * sets (`NAME = value`, `:=`, `::=`, `?=`, `+=`, `export NAME = value`) expanded. A reference the
 * Makefile does not set (a variable given on make's command line or from the environment, a
 * function such as `$(shell …)`) is unknown. Each recipe line runs in a shell of its own, so a
 * `cd` reaches only the rest of its line.
 */
import { shellBuilds } from './command-line';
import type { BuildDeclaration } from './types';

/** References expanded within one value at most this deep (`A = $(B)`, `B = $(C)`, …). */
const MAX_DEPTH = 16;
const UNKNOWN = '${__make_unknown__}';

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

const NAME = /[A-Za-z_][A-Za-z0-9_.-]*/y;
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
const RULE = /^([^\s:=#][^:=#]*):(?!=)/;

/** Expands make references in `text` with the known variables; unknown ones become a marker. */
function expand(text: string, variables: Map<string, string>, depth = 0): string {
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
      if (close < 0) return out + UNKNOWN;
      const inner = text.slice(i + 2, close);
      const value = /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(inner) ? variables.get(inner) : undefined;
      out +=
        value === undefined || depth >= MAX_DEPTH ? UNKNOWN : expand(value, variables, depth + 1);
      i = close;
      continue;
    }
    if (next !== undefined && /[A-Za-z0-9_@<^+*?%]/.test(next)) {
      // `$@`, `$<`, `$X`: automatic or one-letter variables.
      const value = variables.get(next);
      out += value === undefined ? UNKNOWN : value;
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

/** The builds a Makefile's recipes run. */
export function makefileBuilds(text: string): BuildDeclaration[] {
  const variables = new Map<string, string>();
  const builds: BuildDeclaration[] = [];
  let rule: string | undefined;
  for (const { text: line, line: number } of logical(text)) {
    if (line.startsWith('\t')) {
      if (rule === undefined) continue;
      const recipe = line.slice(1).replace(/^[\s@+-]+/, '');
      if (!/\b(docker|podman|buildah|nerdctl)\b/.test(recipe)) continue;
      const expanded = expand(recipe, variables);
      for (const found of shellBuilds(expanded, { scope: new Map(), cwd: '.' }, number)) {
        builds.push({
          kind: 'makefile',
          line: number,
          label: `${found.command} in target ${rule}`,
          base: 'file',
          cwd: found.cwd,
          ...found.build,
        });
      }
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const assigned = assignment(trimmed);
    if (assigned) {
      const { name, op, value } = assigned;
      if (op === '?=') {
        if (!variables.has(name)) variables.set(name, value);
      } else if (op === ':=' || op === '::=' || op === ':::=') {
        variables.set(name, expand(value, variables));
      } else if (op === '+=') {
        variables.set(name, `${variables.get(name) ?? ''} ${value}`.trim());
      } else if (op === '!=') {
        variables.set(name, UNKNOWN);
      } else {
        variables.set(name, value);
      }
      continue;
    }
    const ruleMatch = RULE.exec(trimmed);
    if (ruleMatch) {
      rule = ruleMatch[1].trim().split(/\s+/)[0];
      // A recipe may start on the rule line after `;`.
      const semicolon = trimmed.indexOf(';');
      if (semicolon > 0 && /\b(docker|podman|buildah|nerdctl)\b/.test(trimmed.slice(semicolon))) {
        for (const found of shellBuilds(
          expand(trimmed.slice(semicolon + 1), variables),
          { scope: new Map(), cwd: '.' },
          number,
        )) {
          builds.push({
            kind: 'makefile',
            line: number,
            label: `${found.command} in target ${rule}`,
            base: 'file',
            cwd: found.cwd,
            ...found.build,
          });
        }
      }
      continue;
    }
    // Conditionals, includes, directives: nothing to read.
  }
  return builds;
}
