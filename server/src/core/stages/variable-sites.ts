/**
 * Where a Dockerfile declares its build arguments and environment variables (`ARG NAME`,
 * `ENV NAME=value`) and where it uses them (`$NAME`, `${NAME}`, `${NAME:-x}`), with each use
 * bound to the declaration in force there, as BuildKit scopes them: a global ARG (before the
 * first FROM) is seen by FROM lines only, a stage's ARG or ENV from its line to the end of the
 * stage and by the stages built on it. Definition, references and hover read this one list.
 */
import type { Instruction, PropertyInstruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../model/model';
import type { Position, Range } from '../types';
import { zeroBasedLine } from '../text/line-index';
import { declaredTargetValues } from './platform-values';
import { keywordOf } from '../model/instruction-view';
import { KeyedCache } from '../keyed-cache';

export interface VariableDeclaration {
  kind: 'arg' | 'env';
  name: string;
  range: Range;
  /** The value as written (ARG default, ENV value), when there is one. */
  value?: string;
  /** Undefined for a global ARG. */
  stage?: Stage;
  instruction: Instruction;
}

export interface VariableUse {
  name: string;
  range: Range;
  /** The declaration in force, when the Dockerfile declares the name there. */
  declaration?: VariableDeclaration;
  instruction: Instruction;
}

export interface VariableSites {
  declarations: VariableDeclaration[];
  uses: VariableUse[];
}

/** The build arguments BuildKit sets for every stage, with what they hold. */
export const PREDEFINED_ARGS: Readonly<Record<string, string>> = {
  TARGETPLATFORM: 'the platform the image is built for (`linux/arm64`), from `--platform`',
  TARGETOS: 'the OS of the platform the image is built for (`linux`)',
  TARGETARCH: 'the architecture the image is built for (`amd64`, `arm64`)',
  TARGETVARIANT: 'the variant of the target architecture (`v7` for `linux/arm/v7`), else empty',
  BUILDPLATFORM: 'the platform of the machine running the build (`linux/amd64`)',
  BUILDOS: 'the OS of the machine running the build',
  BUILDARCH: 'the architecture of the machine running the build',
  BUILDVARIANT: "the variant of the build machine's architecture",
};

const cache = new KeyedCache<DockerfileModel, VariableSites>();

/** Every declaration and use of a variable in the document, built once per model. */
export function variableSites(model: DockerfileModel): VariableSites {
  const known = cache.get(model);
  if (known) return known;
  const declarations: VariableDeclaration[] = [];
  for (const arg of model.globalArgs) {
    declarations.push({
      kind: 'arg',
      name: arg.name,
      range: arg.nameRange,
      value: arg.defaultValue,
      instruction: arg.instruction,
    });
  }
  for (const stage of model.stages) {
    for (const arg of stage.args) {
      declarations.push({
        kind: 'arg',
        name: arg.name,
        range: arg.nameRange,
        value: arg.defaultValue,
        stage,
        instruction: arg.instruction,
      });
    }
    for (const instruction of stage.instructions) {
      if (keywordOf(instruction) !== 'ENV') continue;
      for (const property of (instruction as PropertyInstruction).getProperties()) {
        const name = property.getName();
        if (!name) continue;
        declarations.push({
          kind: 'env',
          name,
          range: property.getNameRange(),
          value: property.getValue() ?? undefined,
          stage,
          instruction,
        });
      }
    }
  }
  const uses: VariableUse[] = [];
  const stageOf = new Map<Instruction, Stage | undefined>();
  for (const stage of model.stages) {
    stageOf.set(stage.from, stage);
    for (const instruction of stage.instructions) stageOf.set(instruction, stage);
  }
  for (const instruction of model.instructions) {
    const stage = stageOf.get(instruction);
    const isFrom = stage !== undefined && instruction === stage.from;
    for (const found of usesIn(model, instruction)) {
      uses.push({
        ...found,
        instruction,
        declaration: resolveUse(declarations, found.name, instruction, isFrom ? undefined : stage),
      });
    }
  }
  const result = { declarations, uses };
  cache.set(model, result);
  return result;
}

/** `$NAME` and `${NAME…}` in an instruction's text, not escaped. */
function usesIn(
  model: DockerfileModel,
  instruction: Instruction,
): { name: string; range: Range }[] {
  const range = instruction.getRange();
  const start = model.index.offsetAt(range.start);
  const text = model.index.textOf(range);
  const found: { name: string; range: Range }[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === model.escapeChar) {
      i++;
      continue;
    }
    if (text[i] !== '$') continue;
    const braced = text[i + 1] === '{';
    const from = i + (braced ? 2 : 1);
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(from, from + 256));
    if (!match) continue;
    found.push({
      name: match[0],
      range: model.index.rangeOf(start + from, start + from + match[0].length),
    });
    i = from + match[0].length - 1;
  }
  return found;
}

/** The declaration a use in `instruction` (of `stage`, or a FROM line when undefined) sees. */
function resolveUse(
  declarations: VariableDeclaration[],
  name: string,
  instruction: Instruction,
  stage: Stage | undefined,
): VariableDeclaration | undefined {
  const line = zeroBasedLine(instruction);
  const latest = (candidates: VariableDeclaration[]) =>
    candidates.reduce<VariableDeclaration | undefined>(
      (best, d) =>
        best === undefined || zeroBasedLine(d.instruction) > zeroBasedLine(best.instruction)
          ? d
          : best,
      undefined,
    );
  if (!stage) {
    return latest(
      declarations.filter(
        (d) => d.stage === undefined && d.name === name && zeroBasedLine(d.instruction) < line,
      ),
    );
  }
  const own = latest(
    declarations.filter(
      (d) => d.stage === stage && d.name === name && zeroBasedLine(d.instruction) < line,
    ),
  );
  if (own) return own;
  // A child stage starts from its parent's state: its ENVs and, with BuildKit, its ARG values.
  for (let parent = stage.parent; parent; parent = parent.parent) {
    const inherited = latest(declarations.filter((d) => d.stage === parent && d.name === name));
    if (inherited) return inherited;
  }
  return undefined;
}

/** The declaration at a position (its name) or the one a use at the position resolves to. */
export function variableAt(
  model: DockerfileModel,
  position: Position,
): { declaration?: VariableDeclaration; use?: VariableUse } | undefined {
  const sites = variableSites(model);
  const inside = (range: Range) =>
    compare(range.start, position) <= 0 && compare(position, range.end) <= 0;
  const declaration = sites.declarations.find((d) => inside(d.range));
  if (declaration) return { declaration };
  const use = sites.uses.find((u) => inside(u.range));
  return use ? { declaration: use.declaration, use } : undefined;
}

/** The uses bound to a declaration. */
export function usesOf(model: DockerfileModel, declaration: VariableDeclaration): VariableUse[] {
  return variableSites(model).uses.filter((u) => u.declaration === declaration);
}

/** The global ARG a stage's `ARG NAME` without a default takes its value from. */
export function globalArgFor(
  model: DockerfileModel,
  declaration: VariableDeclaration,
): VariableDeclaration | undefined {
  if (declaration.kind !== 'arg' || !declaration.stage || declaration.value !== undefined) {
    return undefined;
  }
  const sites = variableSites(model);
  return [...sites.declarations]
    .reverse()
    .find((d) => d.stage === undefined && d.name === declaration.name);
}

function compare(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Markdown for a hover on a variable: what it is, its value, where it is declared. */
export function variableHover(
  model: DockerfileModel,
  found: { declaration?: VariableDeclaration; use?: VariableUse },
): string | undefined {
  const { declaration, use } = found;
  const name = declaration?.name ?? use?.name;
  if (!name) return undefined;
  if (!declaration) {
    const predefined = PREDEFINED_ARGS[name];
    if (!predefined) return undefined;
    const values = declaredTargetValues(model, name);
    return `**ARG \`${name}\`** — set by BuildKit: ${predefined}. A stage sees it only after \`ARG ${name}\`, its own or one in the stage it is built on.${values ? `\n\n${values}` : ''}`;
  }
  const keyword = declaration.kind === 'arg' ? 'ARG' : 'ENV';
  const line = zeroBasedLine(declaration.instruction) + 1;
  const where = declaration.stage
    ? `declared on line ${line}, in stage ${declaration.stage.name ?? declaration.stage.index}`
    : `a global ARG declared on line ${line} (seen by FROM lines, and by stages that declare \`ARG ${name}\`)`;
  const global = globalArgFor(model, declaration);
  let value: string;
  if (declaration.value !== undefined) value = `= \`${declaration.value}\``;
  else if (global?.value !== undefined) {
    value = `= \`${global.value}\` (the default of the global ARG on line ${zeroBasedLine(global.instruction) + 1})`;
  } else if (PREDEFINED_ARGS[name]) value = `— set by BuildKit: ${PREDEFINED_ARGS[name]}`;
  else value = '— no default: empty unless given with `--build-arg`';
  const override = declaration.kind === 'arg' ? ` A \`--build-arg ${name}=…\` overrides it.` : '';
  const platforms =
    declaration.kind === 'arg' && declaration.value === undefined && global?.value === undefined
      ? declaredTargetValues(model, name)
      : undefined;
  return `**${keyword} \`${name}\`** ${value}${platforms ? `\n\n${platforms}` : ''}\n\n${where[0].toUpperCase()}${where.slice(1)}.${override}`;
}

/** A name a build argument can take. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The build argument at a position that can be renamed: every ARG of that name and every use
 * bound to one move together, so scopes stay as they were. An ENV is not renamed (the programs
 * of the image read it by name), nor an argument BuildKit sets.
 */
function renameTarget(
  model: DockerfileModel,
  position: Position,
): { ok: true; name: string; range: Range } | { ok: false; reason: string } | undefined {
  const found = variableAt(model, position);
  if (!found?.declaration) return undefined;
  const { name } = found.declaration;
  const range = found.use?.range ?? found.declaration.range;
  const sites = variableSites(model);
  if (PREDEFINED_ARGS[name]) {
    return { ok: false, reason: `BuildKit sets ${name} by this name; it cannot be renamed.` };
  }
  if (sites.declarations.some((d) => d.name === name && d.kind === 'env')) {
    return {
      ok: false,
      reason: `${name} is an ENV, which the image's programs read by name; it is not renamed.`,
    };
  }
  return { ok: true, name, range };
}

/** prepareRename on a build argument: the range and the current name, or why not. */
export function prepareVariableRename(
  model: DockerfileModel,
  position: Position,
): { ok: true; range: Range; placeholder: string } | { ok: false; reason: string } | undefined {
  const target = renameTarget(model, position);
  if (!target || !target.ok) return target;
  return { ok: true, range: target.range, placeholder: target.name };
}

/** Renames a build argument: its ARGs and the uses bound to them. */
export function renameVariable(
  model: DockerfileModel,
  position: Position,
  newName: string,
):
  | { ok: true; edits: { range: Range; newText: string }[] }
  | { ok: false; reason: string }
  | undefined {
  const target = renameTarget(model, position);
  if (!target || !target.ok) return target;
  if (!VARIABLE_NAME.test(newName)) {
    return { ok: false, reason: `"${newName}" is not a build argument name (letters, digits, _).` };
  }
  const sites = variableSites(model);
  if (
    newName !== target.name &&
    (PREDEFINED_ARGS[newName] ||
      sites.declarations.some((d) => d.name === newName) ||
      sites.uses.some((u) => u.name === newName))
  ) {
    return { ok: false, reason: `${newName} is already used in this Dockerfile.` };
  }
  const edits = [
    ...sites.declarations.filter((d) => d.name === target.name).map((d) => d.range),
    ...sites.uses.filter((u) => u.name === target.name && u.declaration).map((u) => u.range),
  ].map((range) => ({ range, newText: newName }));
  return { ok: true, edits };
}
