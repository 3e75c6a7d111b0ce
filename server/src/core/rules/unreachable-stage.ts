// Catches a stage that is not the final one and that no later stage uses: BuildKit skips it on a
// plain `docker build`, so it is only built with `--target` (a leftover, or a test/dev target).
import { builtByName } from '../facts/builds';
import type { DockerfileModel } from '../model/model';
import { mayReference, stageReferences, variablePatterns } from '../facts/stage-references';
import { shortText, type Report, type Rule } from './rule';

type MessageId = 'unused' | 'targetOnly';

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
      targetOnly:
        '{{stage}} is built only with `--target`: no later stage uses it, and no build found names it.',
    },
    details: {
      unused:
        'It is not the final stage and no later stage uses it (FROM, COPY --from or RUN --mount=from): BuildKit skips it unless it is built with {{target}}. Remove it if it is a leftover.',
      targetOnly:
        'It is not the final stage, no later stage uses it (FROM, COPY --from or RUN --mount=from) and none of the builds found in the project (compose, Bake, Makefiles, scripts, CI workflows) targets it: BuildKit skips it unless it is built with {{target}}. Keep it if it is a target on purpose (a test or dev stage, one your documentation names); remove it if it is a leftover.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const references = stageReferences(model);
    // Literal references name one stage each; only those written with a variable must be
    // matched against every stage.
    const named = new Set(references.filter((r) => r.target).map((r) => r.target));
    const variable = variablePatterns(references);
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
        messageId: stage.name !== undefined ? 'targetOnly' : 'unused',
        data: { stage: shortText(label, 50), target },
        // A named stage may be a `--target` on purpose (test, dev): only a stage without a name,
        // which BuildKit never builds, is shown as text that can go.
        ...(stage.name !== undefined ? { tags: [] } : {}),
      });
    }
  },
};
