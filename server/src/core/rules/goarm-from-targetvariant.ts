// Catches GOARM set from $TARGETVARIANT (or $BUILDVARIANT) as it is: BuildKit's variant is `v7`
// on linux/arm/v7, Go's GOARM wants `7`, so the arm builds stop with "go: invalid GOARM".
import { argInForce, type DockerfileModel, type Stage } from '../model/model';
import { stripVariantEdit, type GoarmVariantUse } from '../facts/goarm-variant';
import { hasSyntaxDirective, syntaxAtLeast } from '../facts/syntax';
import { syntaxDirectiveEdit } from '../edits/syntax-directive';
import { goarmUses } from '../facts/goarm-uses';
import type { Fix } from '../types';
import { shortText, type Report, type Rule } from './rule';

/**
 * The value the ARG in force at the use gives the variant (the stage's own, or one of the stage
 * it is built on), when it pins one (`ARG TARGETVARIANT=v7`); undefined when BuildKit's value
 * reaches it.
 */
function pinnedValue(model: DockerfileModel, stage: Stage, use: GoarmVariantUse) {
  const arg = argInForce(model, stage, use.name, model.index.offsetAt(use.range.start));
  return arg?.defaultValue === undefined || arg.defaultValue.includes('$')
    ? undefined
    : arg.defaultValue;
}

function fixFor(model: DockerfileModel, use: GoarmVariantUse, pinned: boolean): Fix | undefined {
  if (!use.bare) return undefined;
  const title = `Set GOARM from \${${use.name}#v}`;
  // In RUN the shell strips the `v`: any POSIX shell knows `${NAME#v}`. The value is BuildKit's,
  // so only the builds that failed on `v7` change.
  if (use.shell)
    return {
      title,
      kind: 'quickfix',
      isPreferred: true,
      safe: !pinned,
      edits: [stripVariantEdit(use)],
    };
  // In ENV and ARG the Dockerfile frontend expands it, which knows `#` from syntax 1.7 on.
  if (syntaxAtLeast(model, 7)) {
    return {
      title,
      kind: 'quickfix',
      isPreferred: true,
      safe: !pinned,
      edits: [stripVariantEdit(use)],
    };
  }
  if (hasSyntaxDirective(model)) return undefined;
  return {
    title: `${title} (with # syntax=docker/dockerfile:1, which ENV and ARG need for it)`,
    kind: 'quickfix',
    isPreferred: true,
    // A syntax directive changes the frontend for the whole file: a person decides.
    safe: false,
    edits: [syntaxDirectiveEdit(model), stripVariantEdit(use)],
  };
}

type MessageId = 'variantAsGoarm';

export const goarmFromTargetvariant: Rule<MessageId> = {
  meta: {
    id: 'goarm-from-targetvariant',
    description:
      'GOARM is set from $TARGETVARIANT as it is: BuildKit gives `v7`, Go wants `7` (${TARGETVARIANT#v}).',
    defaultSeverity: 'warning',
    fixable: true,
    messages: {
      variantAsGoarm: 'GOARM={{written}} gives Go "v7" where it wants "7": use ${{{name}}#v}.',
    },
    details: {
      variantAsGoarm:
        'GOARM={{fullWritten}} passes {{gets}} to Go, which wants "7" and stops with "go: invalid GOARM". Use ${{{name}}#v}{{needsSyntax}}.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const stage of model.stages) {
      for (const use of goarmUses(model, stage)) {
        // Undeclared, the variant is always empty: target-arg-undeclared's finding.
        if (!use.declared) continue;
        const pinned = pinnedValue(model, stage, use);
        // `ARG TARGETVARIANT=` (or any value without a v) is what GOARM gets: never `v7`.
        if (pinned !== undefined && !pinned.startsWith('v')) continue;
        const written = model.index.textOf(use.range);
        const gets =
          pinned !== undefined
            ? `"${pinned}" (its ARG default)`
            : 'BuildKit\'s variant, "v7" on linux/arm/v7 ("v6", "v5" on the others)';
        const fix = fixFor(model, use, pinned !== undefined);
        const needsSyntax =
          use.bare && !use.shell && !fix
            ? ' (in ENV and ARG that needs Dockerfile syntax 1.7 or later)'
            : '';
        report({
          range: use.range,
          messageId: 'variantAsGoarm',
          data: {
            written: shortText(written, 30),
            fullWritten: written,
            gets,
            name: use.name,
            needsSyntax,
          },
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
};
