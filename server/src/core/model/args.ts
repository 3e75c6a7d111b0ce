/** ARG declarations as BuildKit reads them, and the platform ARGs it fills in. */
import type { Instruction } from 'dockerfile-ast';
import { instructionArguments } from './instruction-text';
import type { ArgDeclaration, DockerfileModel, Stage } from './types';
import type { Position } from '../types';

/**
 * The automatic platform ARGs that BuildKit fills in (when declared without a default), in the
 * order inserted `ARG` lines list them.
 */
export const PLATFORM_ARGS = new Set([
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
]);

/**
 * The ARG declaration of `name` in force at `offset` (a document offset; the end of the stage
 * when omitted): the stage's last one ending before it, else the one the stage inherits from
 * the stage it is built on (`FROM base AS build` sees base's `ARG TARGETPLATFORM`). Undefined
 * when the stage's scope does not declare the name. Every "is this ARG declared here" question
 * reads this.
 */
export function argInForce(
  model: DockerfileModel,
  stage: Stage,
  name: string,
  offset = Number.POSITIVE_INFINITY,
): ArgDeclaration | undefined {
  let found: ArgDeclaration | undefined;
  for (const declaration of stage.args) {
    if (declaration.name === name && model.index.offsetAt(declaration.range.end) <= offset) {
      found = declaration;
    }
  }
  return found ?? stage.inheritedArgs.get(name);
}

export function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.endsWith(text[0])) {
    return text.slice(1, -1);
  }
  return text;
}

/**
 * Parses the `NAME[=default]` declarations of an ARG instruction. dockerfile-ast splits the
 * arguments at every blank, so arguments are joined again while a quote or an escaped blank is
 * open (`ARG LDFLAGS="-s -w"` is one declaration); the default loses its quotes and escapes.
 */
export function argDeclarations(
  model: DockerfileModel,
  instruction: Instruction,
): ArgDeclaration[] {
  const { index, escapeChar } = model;
  const declarations: ArgDeclaration[] = [];
  const declare = (start: Position, end: Position) => {
    const raw = index.textOf({ start, end });
    const eq = raw.indexOf('=');
    const name = eq < 0 ? raw : raw.slice(0, eq);
    declarations.push({
      name,
      defaultValue: eq < 0 ? undefined : unquoteWord(raw.slice(eq + 1), escapeChar),
      instruction,
      range: { start, end },
      nameRange: { start, end: { line: start.line, character: start.character + name.length } },
    });
  };
  let start: Position | undefined;
  let end: Position | undefined;
  for (const arg of instructionArguments(instruction)) {
    const range = arg.getRange();
    start ??= range.start;
    end = range.end;
    // dockerfile-ast ends an argument before an escaped blank (`my\ app`).
    const after = index.offsetAt(range.end);
    const escapedBlank =
      model.text[after] === escapeChar &&
      (model.text[after + 1] === ' ' || model.text[after + 1] === '\t');
    if (escapedBlank || openAtEnd(index.textOf({ start, end }), escapeChar)) continue;
    declare(start, end);
    start = undefined;
  }
  // A quote never closed runs to the end of the instruction.
  if (start && end) declare(start, end);
  return declarations;
}

/** Whether a quote or an escape is still open at the end of `raw`. */
function openAtEnd(raw: string, escapeChar: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === escapeChar && quote !== "'") {
      if (i + 1 >= raw.length) return true;
      i++;
    } else if (quote === undefined && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = undefined;
  }
  return quote !== undefined;
}

/** A word without its quotes and escapes (`"-s -w"` → `-s -w`, `a\ b` → `a b`). */
function unquoteWord(raw: string, escapeChar: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === escapeChar && quote !== "'" && i + 1 < raw.length) {
      out += raw[++i];
    } else if (quote === undefined && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = undefined;
    else out += c;
  }
  return out;
}
