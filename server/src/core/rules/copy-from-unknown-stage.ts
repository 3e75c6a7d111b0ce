// Catches `COPY --from=x` where x is neither an earlier stage nor an image reference, or names
// the current or a later stage: the build fails (Docker tries to pull an image called "x").
import type { DockerfileModel, Stage } from '../model/model';
import type { Fix, Range } from '../types';
import { editDistance, type Report, type Rule, shortText } from './rule';
import { replaceRange } from '../edits/fixer';

// Suggestions look at most this many stages back: comparing every unknown reference with every
// earlier stage made files with thousands of stages quadratic.
const SUGGESTION_WINDOW = 64;
const MAX_SUGGESTED_NAME = 128;

// BuildKit's rule for stage names: a stage named otherwise (`AS \builder`) is no suggestion,
// since a reference cannot be written to match it.
const VALID_STAGE_NAME = /^[a-z][a-z0-9._-]*$/i;

/**
 * The earlier stage a mistyped name most likely meant: the closest by edit distance, or else the
 * one whose dash-separated name ends or starts with it (`set` for `license-set`).
 */
function closestEarlierStage(stages: readonly Stage[], before: number, name: string) {
  // The edit distance costs the product of the lengths: no suggestion for a name nobody types.
  if (name.length > MAX_SUGGESTED_NAME) return undefined;
  let best: { name: string; distance: number } | undefined;
  const named = stages
    .slice(Math.max(0, before - SUGGESTION_WINDOW), before)
    .filter(
      (s): s is Stage & { name: string } => s.name !== undefined && VALID_STAGE_NAME.test(s.name),
    );
  const limit = Math.max(1, Math.floor(name.length / 3));
  for (const stage of named) {
    // Further apart in length than the limit: too far to be suggested, whatever the letters.
    if (Math.abs(stage.name.length - name.length) > limit) continue;
    const distance = editDistance(stage.name, name);
    if (!best || distance < best.distance) best = { name: stage.name, distance };
  }
  if (best && best.distance <= limit) return best.name;
  const key = name.toLowerCase();
  const partial = named.filter((s) => {
    const parts = s.name.toLowerCase().split(/[-_.]/);
    return parts.length > 1 && (parts[parts.length - 1] === key || parts[0] === key);
  });
  return partial.length === 1 ? partial[0].name : undefined;
}

function suggestionFixes(range: Range, suggestion: string | undefined): Fix[] {
  if (suggestion === undefined) return [];
  return [
    {
      title: `Copy from stage "${suggestion}"`,
      kind: 'quickfix',
      isPreferred: true,
      safe: false,
      edits: [replaceRange(range, suggestion)],
    },
  ];
}

const PULLS_IMAGE =
  'With no earlier stage of that name, {{keyword}} --from={{from}} makes Docker pull an image of that name, and the build fails.';
const EARLIER_ONLY = 'A stage can only {{verb}} from stages defined before it.';

type MessageId =
  'unknownStage' | 'unknownStageSuggest' | 'laterStage' | 'laterStageSuggest' | 'indexOutOfRange';

export const copyFromUnknownStage: Rule<MessageId> = {
  meta: {
    id: 'copy-from-unknown-stage',
    description: '`COPY --from` names no earlier stage and is not an image reference.',
    defaultSeverity: 'error',
    fixable: true,
    messages: {
      unknownStage: 'No earlier stage is named "{{name}}".',
      unknownStageSuggest: 'No stage is named "{{name}}": did you mean "{{suggestion}}"?',
      laterStage: '--from={{from}} names {{where}}, not an earlier stage.',
      laterStageSuggest: '--from={{from}} names {{where}}: did you mean "{{suggestion}}"?',
      indexOutOfRange: '--from={{index}} names {{where}}, not an earlier stage.',
    },
    details: {
      unknownStage: PULLS_IMAGE,
      unknownStageSuggest: PULLS_IMAGE,
      laterStage: EARLIER_ONLY,
      laterStageSuggest: EARLIER_ONLY,
      indexOutOfRange: EARLIER_ONLY,
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const stage of model.stages) {
      for (const copy of stage.copies) {
        const from = copy.from;
        if (!from) continue;
        const target = from.target;
        const keyword = copy.keyword;
        if (target.kind === 'unknown') {
          const suggestion = closestEarlierStage(model.stages, stage.index, target.name);
          report({
            range: from.range,
            messageId: suggestion ? 'unknownStageSuggest' : 'unknownStage',
            data: {
              name: shortText(target.name),
              ...(suggestion ? { suggestion } : {}),
              keyword,
              from: from.raw,
            },
            fixes: suggestionFixes(from.range, suggestion),
          });
        } else if (target.kind === 'later-stage') {
          const where =
            target.stage.index === stage.index
              ? 'the stage it is in'
              : `a later stage (line ${target.stage.from.getRange().start.line + 1})`;
          const suggestion = closestEarlierStage(model.stages, stage.index, from.value);
          report({
            range: from.range,
            messageId: suggestion ? 'laterStageSuggest' : 'laterStage',
            data: {
              from: shortText(from.raw),
              where,
              ...(suggestion ? { suggestion } : {}),
              verb: keyword === 'ADD' ? 'add' : 'copy',
            },
            fixes: suggestionFixes(from.range, suggestion),
          });
        } else if (target.kind === 'index-out-of-range') {
          const where =
            target.index === stage.index
              ? 'the stage it is in'
              : stage.index === 0
                ? 'a stage, but this is the first stage'
                : `a stage that does not come before it (stages 0 to ${stage.index - 1} do)`;
          report({
            range: from.range,
            messageId: 'indexOutOfRange',
            data: { index: target.index, where, verb: keyword === 'ADD' ? 'add' : 'copy' },
          });
        }
      }
    }
  },
};
