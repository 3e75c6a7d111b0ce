// Catches a stage that is not the final one and that no later stage uses: BuildKit skips it on a
// plain `docker build`, so it is only built with `--target` (a leftover, or a test/dev target).
import { builtByName } from '../facts/builds';
import type { DockerfileModel } from '../model/model';
import {
  mayReference,
  stageReferences,
  variableMayNameStage,
  type StageReference,
} from '../facts/stage-references';
import { shortText, type Report, type Rule } from './rule';

/**
 * Of the references written with the same variable pattern (`${X}-build` in many stages), the
 * last one: it may name every stage any of the others may (all stages before it), so checking it
 * alone gives the same answer, and thousands of them cost one check per stage, not thousands.
 */
function latestOfEachPattern(references: readonly StageReference[]): StageReference[] {
  const latest = new Map<string, StageReference>();
  for (const reference of references) {
    // FROM cannot name a stage by its index, the other references can: two kinds of pattern.
    const key = `${reference.kind === 'from' ? 'from' : 'other'}\0${reference.raw.toLowerCase()}`;
    const known = latest.get(key);
    if (!known || known.stage.index < reference.stage.index) latest.set(key, reference);
  }
  return [...latest.values()];
}

type MessageId = 'unused';

export const unreachableStage: Rule<MessageId> = {
  meta: {
    id: 'unreachable-stage',
    description:
      'A stage that is not the final stage, that no later stage uses and that no declared build targets.',
    defaultSeverity: 'hint',
    fixable: false,
    tags: ['unnecessary'],
    messages: {
      unused: '{{stage}} is never used: no later stage builds on it or copies from it.',
    },
    details: {
      unused:
        'It is not the final stage and no later stage uses it (FROM, COPY --from or RUN --mount=from): BuildKit skips it unless it is built with {{target}}. Remove it if it is a leftover.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const references = stageReferences(model);
    // Literal references name one stage each; only those written with a variable must be
    // matched against every stage.
    const named = new Set(references.filter((r) => r.target).map((r) => r.target));
    const variable = latestOfEachPattern(references.filter(variableMayNameStage));
    for (const stage of model.stages) {
      if (stage === model.finalStage) continue;
      // A stage a declared build names (a compose or Bake target, `--target`, an `--output`
      // export) is used; with a build whose target is unknown, any stage may be.
      const built = builtByName(model, stage);
      if (built === 'any') return;
      if (built) continue;
      // Uses by name (case-insensitively) and by index, through FROM, COPY --from and
      // RUN --mount=from; a reference written with a variable counts for every stage it may name.
      if (named.has(stage) || variable.some((r) => mayReference(r, stage))) continue;
      const label = stage.name !== undefined ? `Stage "${stage.name}"` : `Stage ${stage.index}`;
      const target =
        stage.name !== undefined
          ? `\`docker build --target ${stage.name}\``
          : '`--target` (which needs a stage name)';
      report({
        range: stage.nameRange ?? stage.from.getRange(),
        messageId: 'unused',
        data: { stage: shortText(label, 50), target },
        // A named stage may be a `--target` on purpose (test, dev): only a stage without a name,
        // which BuildKit never builds, is shown as text that can go.
        ...(stage.name !== undefined ? { tags: [] } : {}),
      });
    }
  },
};
