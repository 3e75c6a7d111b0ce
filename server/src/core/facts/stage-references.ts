/**
 * Every place a Dockerfile names a stage: `FROM <stage>`, `COPY --from=<stage>` (and `ADD`), and
 * `RUN --mount=from=<stage>`, by name (case-insensitively) or by index, with their ranges. A
 * reference written with a variable is kept as a pattern: a build argument can point it at any
 * stage whose name fits.
 */
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../model/model';
import { expand, isNameChar, isNameStart } from '../model/variables';
import type { Range } from '../types';
import { KeyedCache } from '../keyed-cache';
import { perKey } from './memo';

export interface StageReference {
  kind: 'from' | 'copy' | 'mount';
  /** The stage the reference is written in. */
  stage: Stage;
  instruction: Instruction;
  /** As written. */
  raw: string;
  /** After ARG/ENV substitution (with unresolved references kept as written). */
  value: string;
  /** Range of the value as written. */
  range: Range;
  /** The earlier stage it names (through ARG defaults when written with a variable). */
  target?: Stage;
}

/** Every stage reference of the Dockerfile, in document order within each stage (cached). */
export const stageReferences = perKey(findReferences);

function findReferences(model: DockerfileModel): readonly StageReference[] {
  const references: StageReference[] = [];
  for (const stage of model.stages) {
    if (stage.baseText !== undefined && stage.baseRange) {
      references.push({
        kind: 'from',
        stage,
        instruction: stage.from,
        raw: stage.baseText,
        value: expand(stage.baseText, model.globalScope).value,
        range: stage.baseRange,
        target: stage.parent,
      });
    }
    const items: StageReference[] = [];
    for (const copy of stage.copies) {
      if (!copy.from) continue;
      items.push({
        kind: 'copy',
        stage,
        instruction: copy.instruction,
        raw: copy.from.raw,
        value: copy.from.value,
        range: copy.from.range,
        target: copy.from.target.kind === 'stage' ? copy.from.target.stage : undefined,
      });
    }
    for (const run of stage.runs) {
      for (const from of run.mountFroms) {
        // Only an earlier stage can be mounted. BuildKit takes a number for a name (the model's
        // stage is the one of that name); copy-from-stage-index reports it meaning an index.
        const found = /^\d+$/.test(from.value) ? model.stages[Number(from.value)] : from.stage;
        const target = found && found.index < stage.index ? found : undefined;
        items.push({
          kind: 'mount',
          stage,
          instruction: run.instruction,
          raw: from.raw,
          value: from.value,
          range: from.range,
          target,
        });
      }
    }
    const line = (r: StageReference) => r.range.start.line * 1e6 + r.range.start.character;
    references.push(...items.sort((a, b) => line(a) - line(b)));
  }
  return references;
}

/** Whether a reference written with a variable may name some stage (see `mayReference`). */
export function variableMayNameStage(reference: StageReference): boolean {
  return reference.raw.includes('$') && partsOf(reference) !== undefined;
}

/**
 * The references written with a variable that may name a stage, the last one of each pattern
 * (`${X}-build` in many stages): it may name every stage any of the others may (all the stages
 * before it), so holding each stage against it alone gives the same answer, and thousands of
 * such references cost one check per stage, not thousands.
 */
export function variablePatterns(references: readonly StageReference[]): StageReference[] {
  const latest = new Map<string, StageReference>();
  for (const reference of references) {
    if (!variableMayNameStage(reference)) continue;
    // FROM cannot name a stage by its index, the other references can: two kinds of pattern.
    const key = `${reference.kind === 'from' ? 'from' : 'other'}\0${reference.raw.toLowerCase()}`;
    const known = latest.get(key);
    if (!known || known.stage.index < reference.stage.index) latest.set(key, reference);
  }
  return [...latest.values()];
}

const partsCache = new KeyedCache<StageReference, string[] | null>();

/**
 * The literal parts of a reference written with a variable, once per reference; undefined when
 * they hold a character no stage name has (`golang:${V}-alpine` names an image, never a stage).
 */
function partsOf(reference: StageReference): string[] | undefined {
  let parts = partsCache.get(reference);
  if (parts === undefined) {
    parts = literalParts(reference.raw);
    if (parts.some((part) => /[:/@]/.test(part))) parts = null;
    partsCache.set(reference, parts);
  }
  return parts ?? undefined;
}

/** A reference's literal parts, split where it reads a variable (`${A}-x` → `['', '-x']`). */
function literalParts(raw: string): string[] {
  const parts: string[] = [];
  let current = '';
  let i = 0;
  while (i < raw.length) {
    if (raw[i] === '$' && raw[i + 1] === '{') {
      const close = raw.indexOf('}', i);
      parts.push(current);
      current = '';
      i = close < 0 ? raw.length : close + 1;
    } else if (raw[i] === '$' && isNameStart(raw[i + 1])) {
      parts.push(current);
      current = '';
      i++;
      while (i < raw.length && isNameChar(raw[i])) i++;
    } else {
      current += raw[i];
      i++;
    }
  }
  parts.push(current);
  return parts.map((part) => part.toLowerCase());
}

/**
 * Whether `text` fits the literal parts with anything in the gaps between them, ignoring case:
 * the first part starts it, the last ends it, the others follow in order. Linear, no regex built
 * from the user's text.
 */
function fitsParts(parts: readonly string[], text: string): boolean {
  const lower = text.toLowerCase();
  if (parts.length === 1) return lower === parts[0];
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (lower.length < first.length + last.length) return false;
  if (!lower.startsWith(first) || !lower.endsWith(last)) return false;
  let at = first.length;
  const end = lower.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = lower.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/**
 * Whether a reference names a stage, or may name it: one written with a variable may, through a
 * build argument, name any earlier stage whose name (or index) fits its literal parts
 * (`${TARGETARCH}-archive` fits `amd64-archive`; `${BASE}` fits every stage).
 */
export function mayReference(reference: StageReference, stage: Stage): boolean {
  if (stage.index >= reference.stage.index) return false;
  if (reference.target === stage) return true;
  if (!reference.raw.includes('$')) return false;
  const parts = partsOf(reference);
  if (parts === undefined) return false;
  return (
    (stage.name !== undefined && fitsParts(parts, stage.name)) ||
    (reference.kind !== 'from' && fitsParts(parts, String(stage.index)))
  );
}
