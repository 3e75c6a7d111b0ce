// Catches `COPY --from=<parent> /path /path` in a stage built FROM that parent: the files are
// already there, inherited with the image, so the COPY only adds a layer that repeats them.

import type { CopyInfo, DockerfileModel, Stage } from '../model/model';
import { normalize } from '../text/posix-path';
import type { Fix } from '../types';
import type { Report, Rule } from './rule';
import { zeroBasedLine } from '../text/line-index';
import { removeInstructionLines } from '../edits/instruction-edits';
import { keywordOf } from '../model/instruction-view';

/** Flags that make the copy differ from what the stage inherits (owner, mode, a subset). */
const CHANGING_FLAGS = /(^|\s)--(chown|chmod|exclude|parents)\b/i;

/** An instruction before the COPY, in the same stage, that may have changed the copied path. */
function changedBefore(stage: Stage, copy: CopyInfo): boolean {
  const line = zeroBasedLine(copy.instruction);
  return stage.instructions.some((instruction) => {
    if (zeroBasedLine(instruction) >= line) return false;
    const keyword = keywordOf(instruction);
    return keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD';
  });
}

function removeFix(model: DockerfileModel, copy: CopyInfo): Fix {
  return {
    title: 'Remove the COPY',
    kind: 'quickfix',
    isPreferred: true,
    // COPY without --chown makes the files root's: the parent's may belong to another user.
    safe: false,
    edits: [removeInstructionLines(model, copy.instruction)],
  };
}

type MessageId = 'alreadyThere';

export const copyFromParentStage: Rule<MessageId> = {
  meta: {
    id: 'copy-from-parent-stage',
    description:
      'A COPY --from the stage the current stage is built FROM, to the same path: the files are already there.',
    defaultSeverity: 'hint',
    fixable: true,
    tags: ['unnecessary'],
    messages: {
      alreadyThere:
        'This stage is built FROM {{parent}}, so {{destination}} is already here: COPY --from={{from}} adds a layer that repeats it.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const stage of model.stages) {
      const parent = stage.parent;
      if (!parent) continue;
      for (const copy of stage.copies) {
        if (copy.from?.target.kind !== 'stage' || copy.from.target.stage !== parent) continue;
        const destination = copy.destination?.path;
        if (destination === undefined || copy.sources.length !== 1) continue;
        const source = copy.sources[0].text;
        if (/[*?[\]$]/.test(source) || /[$]/.test(copy.destination?.raw ?? '')) continue;
        if (normalize(`/${source}`) !== normalize(destination)) continue;
        const text = model.index.textOf(copy.instruction.getRange());
        if (CHANGING_FLAGS.test(text) || changedBefore(stage, copy)) continue;
        const name = parent.name ?? String(parent.index);
        report({
          range: copy.instruction.getRange(),
          messageId: 'alreadyThere',
          data: { parent: name, destination: normalize(destination), from: copy.from.value },
          fixes: [removeFix(model, copy)],
        });
      }
    }
  },
};
