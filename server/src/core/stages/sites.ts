/**
 * Where a Dockerfile names its stages: each stage's `AS name` and every reference to it —
 * `FROM <stage>` (a parent), `COPY --from=` / `ADD --from=` (by name or by index) and
 * `RUN --mount=…,from=<stage>`. Navigation, highlights, rename and hover all read this one list.
 */
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../model/model';
import { expand } from '../model/variables';
import type { Position, Range } from '../types';
import { KeyedCache } from '../keyed-cache';

export type StageSiteKind = 'declaration' | 'from' | 'copy' | 'mount';

/** A stage's name in its FROM, or a reference to the stage. */
export interface StageSite {
  kind: StageSiteKind;
  /** The stage named or referenced (for a declaration, the stage itself). */
  stage: Stage;
  /** The text as written (a name, an index, or a variable reference). */
  text: string;
  range: Range;
  /** `--from=<index>`: the stage is referenced by its position, not its name. */
  byIndex: boolean;
  /** Written through a variable (`--from=${BUILDER}`) that resolves to the stage. */
  dynamic: boolean;
  /** The stage whose instruction holds the site. */
  user: Stage;
  instruction: Instruction;
}

/** A `FROM`, `--from` or mount `from=` that names an image (or an unknown name), not a stage. */
export interface ImageSite {
  kind: Exclude<StageSiteKind, 'declaration'>;
  /** The value after variable substitution, when that is complete; else as written. */
  value: string;
  range: Range;
  user: Stage;
  instruction: Instruction;
}

export interface StageSites {
  /** Declarations and references, in document order. */
  sites: StageSite[];
  /** References that do not resolve to a stage of this file. */
  images: ImageSite[];
}

const cache = new KeyedCache<DockerfileModel, StageSites>();

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Whether a position is inside a range, its ends included (a cursor right after a word is on it). */
export function touches(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

/** Every stage declaration and reference of the file, and the references that name images. */
export function stageSites(model: DockerfileModel): StageSites {
  const cached = cache.get(model);
  if (cached) return cached;
  const result: StageSites = { sites: [], images: [] };
  for (const stage of model.stages) {
    fromSites(model, stage, result);
    copySites(stage, result);
    mountSites(stage, result);
  }
  result.sites.sort((a, b) => comparePositions(a.range.start, b.range.start));
  cache.set(model, result);
  return result;
}

/** The stage's name in its FROM, and its base when that is a stage or an image. */
function fromSites(model: DockerfileModel, stage: Stage, { sites, images }: StageSites): void {
  if (stage.name !== undefined && stage.name !== '' && stage.nameRange) {
    sites.push({
      kind: 'declaration',
      stage,
      text: stage.name,
      range: stage.nameRange,
      byIndex: false,
      dynamic: false,
      user: stage,
      instruction: stage.from,
    });
  }
  if (stage.baseText === undefined || !stage.baseRange) return;
  if (stage.parent) {
    sites.push({
      kind: 'from',
      stage: stage.parent,
      text: stage.baseText,
      range: stage.baseRange,
      byIndex: false,
      dynamic: stage.baseText.includes('$'),
      user: stage,
      instruction: stage.from,
    });
  } else if (stage.baseText !== '') {
    const expanded = expand(stage.baseText, model.globalScope);
    images.push({
      kind: 'from',
      value: expanded.complete ? expanded.value : stage.baseText,
      range: stage.baseRange,
      user: stage,
      instruction: stage.from,
    });
  }
}

/** `COPY --from` and `ADD --from`: by name or by index, as the model resolved them. */
function copySites(stage: Stage, { sites, images }: StageSites): void {
  for (const copy of stage.copies) {
    const from = copy.from;
    if (!from || from.raw === '') continue;
    const target = from.target;
    if (target.kind === 'stage' || target.kind === 'later-stage') {
      sites.push({
        kind: 'copy',
        stage: target.stage,
        text: from.raw,
        range: from.range,
        byIndex: /^\d+$/.test(from.value),
        dynamic: from.raw.includes('$'),
        user: stage,
        instruction: copy.instruction,
      });
    } else if (target.kind === 'image' || target.kind === 'unknown') {
      images.push({
        kind: 'copy',
        value: from.value,
        range: from.range,
        user: stage,
        instruction: copy.instruction,
      });
    }
  }
}

/**
 * `RUN --mount=…,from=`, as the model resolved it: BuildKit looks a mount's `from` up by name
 * only (its `detectRunMount`), any stage of the file, case-insensitively.
 */
function mountSites(stage: Stage, { sites, images }: StageSites): void {
  for (const run of stage.runs) {
    for (const from of run.mountFroms) {
      const value = from.complete ? from.value : from.raw;
      if (value.includes('$')) continue;
      if (from.stage) {
        sites.push({
          kind: 'mount',
          stage: from.stage,
          text: from.raw,
          range: from.range,
          byIndex: false,
          dynamic: from.raw.includes('$'),
          user: stage,
          instruction: run.instruction,
        });
      } else {
        images.push({
          kind: 'mount',
          value,
          range: from.range,
          user: stage,
          instruction: run.instruction,
        });
      }
    }
  }
}

/** The declaration or reference at a position, if any. */
export function stageSiteAt(model: DockerfileModel, position: Position): StageSite | undefined {
  return stageSites(model).sites.find((site) => touches(site.range, position));
}

/** The declaration (when the stage is named) and every reference of a stage, in document order. */
export function sitesOfStage(model: DockerfileModel, stage: Stage): StageSite[] {
  return stageSites(model).sites.filter((site) => site.stage === stage);
}
