/**
 * Where a Go binary goes after the stage that builds it: stages that only carry files (a
 * `FROM scratch` holding COPYs that a later stage takes), and the RUNs that mount a stage holding
 * the binary (`RUN --mount=from=tools,source=/out`). A carrier never runs the binary and does not
 * ship it, so the binary's platform and C library are those of the stages that take it from the
 * carrier; a mount never ships its files, it lends them to one RUN. Derived once per model or
 * stage.
 */
import type { GoCallRef } from '../model/filesystem';
import { chainFact, stageTree } from './stage-tree';
import type { DockerfileModel, RunInfo, Stage } from '../model/model';
import { isWithin, resolve } from '../text/posix-path';
import { mountOptionsOf } from '../model/instruction-view';
import { builtByName, buildsOf, shippedStages } from './builds';
import { perStage } from './memo';
import { KeyedCache } from '../keyed-cache';
import {
  mayReference,
  stageReferences,
  variablePatterns,
  type StageReference,
} from './stage-references';

/** Whether neither the stage nor any stage it is built on has a RUN (once per stage, no walk). */
const runsNothing = chainFact(
  (stage: Stage, inherited: boolean | undefined) => (inherited ?? true) && stage.runs.length === 0,
);

/**
 * Whether a stage only carries files: it runs nothing (no RUN, its parents' included), no build
 * produces it (as an image or as files) nor names it, and a later stage takes its files (`COPY
 * --from`, `RUN --mount=from`, or `FROM` it, a name written with a variable included).
 */
export const isCarrier = perStage((model: DockerfileModel, stage: Stage): boolean => {
  if (!runsNothing(stage)) return false;
  if (shippedStages(model).some((s) => s.stage === stage)) return false;
  if (buildsOf(model, stage).length > 0 || builtByName(model, stage) !== false) return false;
  const { named, dynamic } = referencesOf(model);
  return named.has(stage) || dynamic.some((reference) => mayReference(reference, stage));
});

/**
 * The stages a later stage names (`COPY --from=build`, `FROM build`, `--mount=from=build`), and
 * the patterns of the references written with a variable, which may name earlier stages: one
 * pass per model instead of every reference for every stage.
 */
function referencesOf(model: DockerfileModel): { named: Set<Stage>; dynamic: StageReference[] } {
  return referenceIndex.ensure(model, () => {
    const named = new Set<Stage>();
    const references = stageReferences(model);
    for (const reference of references) {
      const target = reference.target;
      if (target && target.index < reference.stage.index) named.add(target);
    }
    // One written with a variable may name other stages too (mayReference says which).
    return { named, dynamic: variablePatterns(references) };
  });
}

const referenceIndex = new KeyedCache<
  DockerfileModel,
  { named: Set<Stage>; dynamic: StageReference[] }
>();

/** A go command whose output a RUN of the stage mounts from another stage. */
export interface MountedBuild {
  run: RunInfo;
  call: GoCallRef;
}

/**
 * The go commands whose binaries the stage's RUNs mount from earlier stages: the Go binaries at
 * or below the mount's `source` (the whole stage when it has none) in the stage it names, and the
 * outputs of go commands run in that stage or those it is built on whose binaries are not named
 * (`go build -o /out/$name`) when the source and the output overlap.
 */
export const mountedBuilds = perStage((model: DockerfileModel, stage: Stage) => {
  const found: MountedBuild[] = [];
  const tree = stageTree(model.stages);
  for (const run of stage.runs) {
    for (const from of run.mountFroms) {
      const source = from.stage;
      if (!source || source.index >= stage.index) continue;
      const written = mountOptionsOf(run.instruction).find((m) => m.flag === from.flag)?.source;
      if (written !== undefined && written.includes('$')) continue;
      const root = resolve('/', written ?? '/');
      const calls = new Set<GoCallRef>();
      for (const { path, binary } of source.fs.goBinaries()) {
        if (isWithin(path, root)) calls.add(binary.call);
      }
      for (const builder of model.stages) {
        if (!tree.isBuiltOn(source, builder)) continue;
        for (const call of builder.goCalls) {
          const output = call.output;
          if (output.kind !== 'dir' || output.names !== undefined) continue;
          if (isWithin(output.path, root) || isWithin(root, output.path)) calls.add(call);
        }
      }
      for (const call of calls) found.push({ run, call });
    }
  }
  return found;
});
