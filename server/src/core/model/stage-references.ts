/**
 * Stage references, resolved once by the model: a FROM naming an earlier stage, `COPY --from`
 * and `RUN --mount=from=` by name or index. Facts and editor features read what the model
 * resolved; they do not resolve names themselves.
 */
import type { CopyFrom, DockerfileModel, Stage } from './types';
import { KeyedCache } from '../keyed-cache';

/** Finds an earlier stage by name (case-insensitively) or by index. */
/** A stage's name for people: its name, or `stage <index>` when it has none. */
export function stageName(stage: Stage): string {
  return stage.name ?? `stage ${stage.index}`;
}

export function findStage(stages: readonly Stage[], reference: string): Stage | undefined {
  const key = reference.toLowerCase();
  if (/^\d+$/.test(key)) return stages[Number(key)];
  return findStageByName(stages, key);
}

const OFFICIAL_IMAGES = new Set([
  'alpine',
  'busybox',
  'debian',
  'ubuntu',
  'golang',
  'node',
  'python',
  'nginx',
  'scratch',
  'docker',
  'registry',
  'postgres',
  'redis',
  'tonistiigi',
]);

// Stage names (lowercased) to the first stage of that name, per stage list, extended as the list
// grows: a linear search per lookup made files with thousands of stages quadratic.
const stageNames = new KeyedCache<readonly Stage[], { count: number; names: Map<string, Stage> }>();

export function findStageByName(stages: readonly Stage[], reference: string): Stage | undefined {
  let known = stageNames.get(stages);
  if (!known) {
    known = { count: 0, names: new Map() };
    stageNames.set(stages, known);
  }
  for (; known.count < stages.length; known.count++) {
    const name = stages[known.count].name?.toLowerCase();
    if (name !== undefined && !known.names.has(name)) known.names.set(name, stages[known.count]);
  }
  return known.names.get(reference.toLowerCase());
}

function looksLikeImage(name: string): boolean {
  return name.includes('/') || name.includes(':') || name.includes('@');
}

export function resolveFrom(model: DockerfileModel, stage: Stage, value: string): CopyFrom {
  if (value.includes('$')) return { kind: 'dynamic' };
  if (/^\d+$/.test(value)) {
    const n = Number(value);
    if (n < stage.index) return { kind: 'stage', stage: model.stages[n] };
    return { kind: 'index-out-of-range', index: n };
  }
  const earlier = findStageByName(model.stages, value);
  if (earlier) return { kind: 'stage', stage: earlier };
  const key = value.toLowerCase();
  if (stage.name !== undefined && stage.name.toLowerCase() === key) {
    return { kind: 'later-stage', stage };
  }
  if (looksLikeImage(value) || OFFICIAL_IMAGES.has(key)) return { kind: 'image', reference: value };
  return { kind: 'unknown', name: value };
}

/** Later stages are only known once the whole file is read: fix up `--from` references then. */
export function resolveLaterStageReferences(model: DockerfileModel): void {
  for (const stage of model.stages) {
    for (const run of stage.runs) {
      for (const from of run.mountFroms) {
        const name = from.complete ? from.value : from.raw;
        if (from.stage || name.includes('$')) continue;
        // The stage itself or a later one (an error for BuildKit, but still that stage).
        from.stage = findStageByName(model.stages, name);
      }
    }
    for (const copy of stage.copies) {
      if (copy.from?.target.kind !== 'unknown' && copy.from?.target.kind !== 'image') continue;
      // No stage before this one has the name (else it would have resolved), so the first stage
      // of that name, if it comes after this one, is the later stage meant.
      const later = findStageByName(model.stages, copy.from.value);
      if (later && later.index > stage.index)
        copy.from.target = { kind: 'later-stage', stage: later };
    }
  }
}
