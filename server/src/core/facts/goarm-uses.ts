/**
 * The GOARM settings fed by a variant ARG (see goarmVariantUses in goarm-variant.ts), derived once per
 * stage for the three rules that ask, and only for stages whose text sets GOARM and names a
 * variant ARG at all: the rest (nearly every stage) have none, found without listing their uses
 * of the platform ARGs.
 */
import type { DockerfileModel, Stage } from '../model/model';
import { perStage } from './memo';
import { goarmVariantUses, type GoarmVariantUse } from './goarm-variant';

/** Whether the stage's text could hold `GOARM=$TARGETVARIANT` (or BUILDVARIANT) at all. */
function mayFeedGoarm(model: DockerfileModel, stage: Stage): boolean {
  const last = stage.instructions[stage.instructions.length - 1] ?? stage.from;
  const start = model.index.offsetAt(stage.from.getRange().start);
  const text = model.text.slice(start, model.index.offsetAt(last.getRange().end));
  return (
    text.includes('GOARM=') && (text.includes('TARGETVARIANT') || text.includes('BUILDVARIANT'))
  );
}

/** The stage's `GOARM=$TARGETVARIANT` settings (goarmVariantUses), derived once. */
export const goarmUses: (model: DockerfileModel, stage: Stage) => readonly GoarmVariantUse[] =
  perStage((model: DockerfileModel, stage: Stage) =>
    mayFeedGoarm(model, stage) ? goarmVariantUses(model, stage) : [],
  );
