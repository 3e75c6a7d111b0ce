// Catches a stage that is not the final one and that no later stage uses: BuildKit skips it on a
// plain `docker build`, so it is only built with `--target` (a leftover, or a test/dev target).
import type { DockerfileModel } from '../model/model';
import { mayReference, stageReferences, variableMayNameStage } from '../model/stage-references';
import type { Report, Rule } from './rule';

export const unreachableStage: Rule = {
  meta: {
    id: 'unreachable-stage',
    description: 'A stage that is not the final stage and that no later stage uses.',
    defaultSeverity: 'hint',
    fixable: false,
    tags: ['unnecessary'],
  },
  check(model: DockerfileModel, report: Report) {
    const references = stageReferences(model);
    // Literal references name one stage each; only those written with a variable must be
    // matched against every stage.
    const named = new Set(references.filter((r) => r.target).map((r) => r.target));
    const variable = references.filter(variableMayNameStage);
    for (const stage of model.stages) {
      if (stage === model.finalStage) continue;
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
        message:
          `${label} is not the final stage and no later stage uses it (FROM, COPY --from or ` +
          `RUN --mount=from): BuildKit skips it unless it is built with ${target}. ` +
          'Remove it if it is a leftover.',
      });
    }
  },
};
