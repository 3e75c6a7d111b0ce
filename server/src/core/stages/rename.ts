/**
 * Renaming a stage: its `AS name` and every reference, as one set of edits, refused when the new
 * name is not a valid stage name or would change what another instruction refers to.
 *
 * What is rewritten: the declaration and every reference by name, each to the new name exactly
 * as typed. References by index (`COPY --from=0`) still point at the same stage after a rename
 * and are left alone — except when the rename starts on such an index: then the user is naming
 * what the index points at, so the stage gets the name (`AS <name>` is added to an unnamed FROM)
 * and every index reference to it becomes the name.
 */
import type { Position, Range, TextEdit } from '../types';
import { sitesOfStage, stageSiteAt, stageSites, type StageSite } from './sites';
import { keywordLike } from '../edits/instruction-edits';
import { stageName, type DockerfileModel, type Stage } from '../model/model';

/**
 * BuildKit's rule for a stage name (frontend/dockerfile/instructions/parse.go,
 * `parseBuildStageName`): the name is lowercased, then must match `^[a-z][a-z0-9-_.]*$`, else
 * "invalid name for build stage: …, name can't start with a number or contain symbols". So a
 * letter first, then letters, digits, `-`, `_` and `.`, in any case. The Dockerfile reference
 * (FROM: "Optionally a name can be given to a new build stage by adding `AS name`") states no
 * syntax of its own.
 */
export const STAGE_NAME = /^[a-z][a-z0-9_.-]*$/i;

/**
 * Names BuildKit's ReservedStageName check warns about
 * (https://docs.docker.com/reference/build-checks/reserved-stage-name/): `scratch` is the empty
 * image and `context` the build context in named-context lookups.
 */
export const RESERVED_STAGE_NAMES: readonly string[] = ['scratch', 'context'];

export type PrepareRenameResult =
  { ok: true; range: Range; placeholder: string } | { ok: false; reason: string };

export type RenameResult = { ok: true; edits: TextEdit[] } | { ok: false; reason: string };

function line(range: Range): number {
  return range.start.line + 1;
}

function describeSite(model: DockerfileModel, site: { range: Range; kind: string }): string {
  const text = model.index.lineText(site.range.start.line).trim();
  const short = text.length > 60 ? text.slice(0, 59) + '…' : text;
  return `\`${short}\` (line ${line(site.range)})`;
}

/** Why a site cannot start a rename, or undefined when it can. */
function siteProblem(model: DockerfileModel, site: StageSite): string | undefined {
  const dynamic = sitesOfStage(model, site.stage).find((s) => s.dynamic);
  if (dynamic) {
    return `Stage ${stageName(site.stage)} is also referenced through a variable in ${describeSite(model, dynamic)}; rename it by hand.`;
  }
  const stage = site.stage;
  if (stage.name === undefined && (!stage.baseRange || stage.from.getArguments().length !== 1)) {
    return `The FROM of stage ${stage.index} on line ${line(stage.from.getRange())} cannot take a name as written.`;
  }
  return undefined;
}

/**
 * Whether the stage at a position can be renamed: the range of the name (or index) under the
 * cursor and the current name as placeholder, or why not. Undefined when no stage is named there.
 */
export function prepareStageRename(
  model: DockerfileModel,
  position: Position,
): PrepareRenameResult | undefined {
  const site = stageSiteAt(model, position);
  if (!site) return undefined;
  const problem = siteProblem(model, site);
  if (problem) return { ok: false, reason: problem };
  return {
    ok: true,
    range: site.range,
    placeholder: site.stage.name ?? `stage${site.stage.index}`,
  };
}

/**
 * Why `newName` cannot be the name of `stage`, or undefined when it can: not a valid stage name,
 * reserved, taken by another stage, or already used for an image that a reference would then
 * resolve to this stage instead.
 */
export function stageNameProblem(
  model: DockerfileModel,
  stage: Stage,
  newName: string,
): string | undefined {
  if (newName === '') return 'A stage name cannot be empty.';
  if (!STAGE_NAME.test(newName)) {
    return `"${newName}" is not a valid stage name: it must start with a letter and contain only letters, digits, "-", "_" and ".".`;
  }
  const key = newName.toLowerCase();
  if (RESERVED_STAGE_NAMES.includes(key)) {
    return `"${newName}" is reserved: Docker gives "${key}" a meaning of its own.`;
  }
  const taken = model.stages.find(
    (s) => s !== stage && s.name !== undefined && s.name.toLowerCase() === key,
  );
  if (taken) {
    return `Stage ${taken.index} on line ${line(taken.from.getRange())} is already named ${taken.name} (stage names are case-insensitive).`;
  }
  // A FROM sees only the stages before it; --from and mount from= see every stage.
  const captured = stageSites(model).images.find(
    (image) =>
      image.value.toLowerCase() === key &&
      (image.kind !== 'from' || image.user.index > stage.index),
  );
  if (captured) {
    return `Renaming to "${newName}" would make ${describeSite(model, captured)} use this stage instead of the image ${captured.value}.`;
  }
  return undefined;
}

/**
 * Renames the stage named or referenced at `position` to `newName`. Undefined when no stage is
 * named there; a reason when the rename is refused.
 */
export function renameStage(
  model: DockerfileModel,
  position: Position,
  newName: string,
): RenameResult | undefined {
  const site = stageSiteAt(model, position);
  if (!site) return undefined;
  const problem = siteProblem(model, site) ?? stageNameProblem(model, site.stage, newName);
  if (problem) return { ok: false, reason: problem };
  const stage = site.stage;
  const rewriteIndexes = site.byIndex;
  const edits: TextEdit[] = [];
  for (const s of sitesOfStage(model, stage)) {
    if (s.byIndex && !rewriteIndexes) continue;
    if (s.text === newName) continue;
    edits.push({ range: s.range, newText: newName });
  }
  if (stage.name === undefined && stage.baseRange) {
    const at = stage.baseRange.end;
    edits.push({
      range: { start: at, end: at },
      newText: ` ${keywordLike(model, stage.from, 'AS')} ${newName}`,
    });
  }
  edits.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  return { ok: true, edits };
}
