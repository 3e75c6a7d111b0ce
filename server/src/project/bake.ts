/**
 * Builds in Bake files (docker-bake.hcl, docker-bake.json): each `target` with its `context`,
 * `dockerfile`, `target`, `platforms`, `args` and `output`, after `inherits` (parents in order,
 * then the target's own attributes; `args` merged by name). Variables take their `default`. A
 * target that only serves as a parent (another target inherits it and no group lists it, as
 * `_common` or `docker-metadata-action`) is not a build of its own.
 */
import { LineIndex } from '../core/text/line-index';
import { outputKind } from './command-line';
import { parseHcl, type HclBody } from './hcl';
import {
  evaluate,
  hclFunctions,
  template,
  UNKNOWN,
  type HclScope,
  type HclValue,
} from './hcl-evaluate';
import type { BuildArg, BuildDeclaration } from './types';

interface RawTarget {
  attributes: Map<string, HclValue>;
  line: number;
}

interface BakeFile {
  targets: Map<string, RawTarget>;
  /** Target names the groups list. */
  grouped: Set<string>;
}

const MAX_INHERITS_DEPTH = 32;

function asStrings(value: HclValue | undefined): string[] | null | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return null;
  const strings: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') return null;
    strings.push(item);
  }
  return strings;
}

/**
 * A target's `output` as a list: undefined when not set, null when it is not a list (or a
 * string), each item null when it is not a string (an expression not evaluated).
 */
function outputList(value: HclValue | undefined): (string | null)[] | null | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return null;
  return value.map((item) => (typeof item === 'string' ? item : null));
}

function asString(value: HclValue | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : null;
}

function isObject(value: HclValue | undefined): value is { [key: string]: HclValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A target's attributes after `inherits`. */
function resolveTarget(
  file: BakeFile,
  name: string,
  depth = 0,
  seen = new Set<string>(),
): Map<string, HclValue> {
  const own = file.targets.get(name);
  const merged = new Map<string, HclValue>();
  if (!own || seen.has(name) || depth > MAX_INHERITS_DEPTH) return merged;
  seen.add(name);
  const parents = asStrings(own.attributes.get('inherits')) ?? [];
  const mergeFrom = (attributes: ReadonlyMap<string, HclValue>) => {
    for (const [key, value] of attributes) {
      if (key === 'inherits') continue;
      const before = merged.get(key);
      if (key === 'args' && isObject(before) && isObject(value)) {
        merged.set(key, Object.assign(Object.create(null) as object, before, value));
      } else {
        merged.set(key, value);
      }
    }
  };
  for (const parent of parents) mergeFrom(resolveTarget(file, parent, depth + 1, seen));
  mergeFrom(own.attributes);
  seen.delete(name);
  return merged;
}

function declarations(file: BakeFile): BuildDeclaration[] {
  const inherited = new Set<string>();
  for (const target of file.targets.values()) {
    for (const parent of asStrings(target.attributes.get('inherits')) ?? []) inherited.add(parent);
  }
  const builds: BuildDeclaration[] = [];
  for (const [name, raw] of file.targets) {
    if (inherited.has(name) && !file.grouped.has(name)) continue;
    const attributes = resolveTarget(file, name);
    const context = asString(attributes.get('context')) ?? (attributes.has('context') ? null : '.');
    const args: BuildArg[] = [];
    const argsValue = attributes.get('args');
    if (isObject(argsValue)) {
      for (const [argName, value] of Object.entries(argsValue)) {
        // null leaves the argument unset: the Dockerfile's default applies.
        if (value === null) continue;
        args.push({
          name: argName,
          value:
            typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
              ? String(value)
              : null,
        });
      }
    }
    const output = attributes.get('output');
    builds.push({
      kind: 'bake',
      line: raw.line,
      label: `target ${name}`,
      base: 'file-or-root',
      cwd: '.',
      context: context !== null && /^[a-z][a-z0-9+.-]*:\/\//i.test(context) ? null : context,
      dockerfile: asString(attributes.get('dockerfile')),
      dockerfileFrom: 'context',
      target: asString(attributes.get('target')),
      platforms: asStrings(attributes.get('platforms')),
      args,
      output: outputKind(outputList(output)),
    });
  }
  return builds;
}

/** Variables of a Bake file: `variable` defaults, evaluated until they settle. */
function settle(
  definitions: { name: string; value: (vars: ReadonlyMap<string, HclValue>) => HclValue }[],
): Map<string, HclValue> {
  const variables = new Map<string, HclValue>();
  // Variables may use each other in any order: a few rounds reach the values of chains.
  for (let round = 0; round < 4; round++) {
    for (const { name, value } of definitions) variables.set(name, value(variables));
  }
  return variables;
}

/** The builds of a docker-bake.hcl. Throws on text the HCL subset cannot read. */
export function bakeHclBuilds(text: string): BuildDeclaration[] {
  const body: HclBody = parseHcl(text);
  const functions = hclFunctions(body);
  // A fresh budget for each attribute evaluated (see HclScope).
  const scope = (): HclScope => ({ functions });
  const definitions: { name: string; value: (vars: ReadonlyMap<string, HclValue>) => HclValue }[] =
    [];
  for (const attribute of body.attributes) {
    definitions.push({
      name: attribute.name,
      value: (vars) => evaluate(attribute.value, vars, scope()),
    });
  }
  for (const block of body.blocks) {
    if (block.type !== 'variable' || block.labels.length !== 1) continue;
    const fallback = block.body.attributes.find((a) => a.name === 'default');
    definitions.push({
      name: block.labels[0],
      value: (vars) => (fallback ? evaluate(fallback.value, vars, scope()) : UNKNOWN),
    });
  }
  const variables = settle(definitions);
  const file: BakeFile = { targets: new Map(), grouped: new Set() };
  for (const block of body.blocks) {
    if (block.labels.length !== 1) continue;
    const name = block.labels[0];
    if (block.type === 'group') {
      const targets = block.body.attributes.find((a) => a.name === 'targets');
      for (const t of asStrings(targets && evaluate(targets.value, variables, scope())) ?? []) {
        file.grouped.add(t);
      }
    } else if (block.type === 'target') {
      const known = file.targets.get(name);
      const attributes = known?.attributes ?? new Map<string, HclValue>();
      for (const attribute of block.body.attributes) {
        attributes.set(attribute.name, evaluate(attribute.value, variables, scope()));
      }
      file.targets.set(name, { attributes, line: known?.line ?? block.line });
    }
  }
  return declarations(file);
}

/** A JSON value as an HCL value: strings are templates (`${NAME}`) in Bake's JSON too. */
function fromJson(value: unknown, variables: ReadonlyMap<string, HclValue>, depth = 0): HclValue {
  if (depth > 64) return UNKNOWN;
  if (typeof value === 'string') return template(value, variables);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => fromJson(v, variables, depth + 1));
  if (typeof value === 'object') {
    const result = Object.create(null) as { [key: string]: HclValue };
    for (const [k, v] of Object.entries(value as object)) {
      result[k] = fromJson(v, variables, depth + 1);
    }
    return result;
  }
  return UNKNOWN;
}

/** The zero-based line of the first `"name":` after `from` in a JSON text. */
function lineOfKey(lines: LineIndex, name: string, from: number): number {
  const key = JSON.stringify(name);
  const text = lines.text;
  let at = text.indexOf(key, from);
  while (at >= 0 && !/^\s*:/.test(text.slice(at + key.length, at + key.length + 20))) {
    at = text.indexOf(key, at + 1);
  }
  return at < 0 ? 0 : lines.positionAt(at).line;
}

function entriesOf(value: unknown): [string, unknown][] {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.entries(value)
    : [];
}

/** The builds of a docker-bake.json. Throws on malformed JSON. */
export function bakeJsonBuilds(text: string): BuildDeclaration[] {
  const json = JSON.parse(text) as unknown;
  const root = Object.fromEntries(entriesOf(json));
  const definitions: { name: string; value: (vars: ReadonlyMap<string, HclValue>) => HclValue }[] =
    [];
  for (const [name, definition] of entriesOf(root.variable)) {
    const fallback = (definition as { default?: unknown } | null)?.default;
    definitions.push({
      name,
      value: (vars) => (fallback === undefined ? UNKNOWN : fromJson(fallback, vars)),
    });
  }
  const variables = settle(definitions);
  const file: BakeFile = { targets: new Map(), grouped: new Set() };
  for (const [, group] of entriesOf(root.group)) {
    for (const t of asStrings(fromJson((group as { targets?: unknown })?.targets, variables)) ??
      []) {
      file.grouped.add(t);
    }
  }
  const targetsAt = text.indexOf('"target"');
  const lines = new LineIndex(text);
  for (const [name, target] of entriesOf(root.target)) {
    const attributes = new Map<string, HclValue>();
    for (const [key, value] of entriesOf(target)) attributes.set(key, fromJson(value, variables));
    file.targets.set(name, { attributes, line: lineOfKey(lines, name, Math.max(0, targetsAt)) });
  }
  return declarations(file);
}
