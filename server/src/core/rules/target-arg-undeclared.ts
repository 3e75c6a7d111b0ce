// Catches $TARGETARCH, $TARGETOS and the other automatic platform ARGs used in a stage that does
// not declare them: there they expand to empty, and Go silently builds for the build machine.
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../model/model';
import {
  platformArgUses,
  sortPlatformArgs,
  stageLabel,
  type PlatformArgUse,
} from '../facts/platform';
import { stripVariantEdit } from '../facts/goarm-variant';
import { declareArgsEdit } from '../edits/declare-args';
import { goarmUses } from '../facts/goarm-uses';
import type { Fix } from '../types';
import type { MessageData, Report, Rule } from './rule';

/**
 * `${TARGETOS:-linux}` gives the right value for every Linux platform, so an undeclared
 * TARGETOS with that fallback builds the same image as a declared one.
 */
function harmless(use: PlatformArgUse): boolean {
  return (use.name === 'TARGETOS' || use.name === 'BUILDOS') && use.fallback === 'linux';
}

function listNames(names: string[]): string {
  const quoted = names.map((n) => `$${n}`);
  return quoted.length <= 1
    ? quoted.join('')
    : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** Lines of ARG declarations of these names that come only after the use. */
function laterDeclaration(model: DockerfileModel, stage: Stage, use: PlatformArgUse) {
  const offset = model.index.offsetAt(use.range.start);
  const later = stage.args.find(
    (a) => a.name === use.name && model.index.offsetAt(a.range.start) > offset,
  );
  return later ? later.range.start.line + 1 : undefined;
}

function explicitMessage(
  model: DockerfileModel,
  stage: Stage,
  uses: PlatformArgUse[],
): { messageId: MessageId; data: MessageData; detail: string } {
  const names = sortPlatformArgs(uses.map((u) => u.name));
  const one = names.length === 1;
  const first = uses[0];
  let message =
    'BuildKit sets the platform ARGs in the global scope, and a stage sees them only after its ' +
    `own \`ARG ${names.join(' ')}\`.`;
  const offset = model.index.offsetAt(first.range.start);
  const before = model.text.slice(Math.max(0, offset - 8), offset);
  const setting = /(GOARCH|GOOS|GOARM)=["']?$/.exec(before)?.[1];
  if (first.fallback === '') {
    message +=
      ` Here \`${model.index.textOf(first.range)}\` always expands to an empty string, whatever ` +
      'platform is built.';
  } else if (first.fallback !== undefined) {
    message +=
      ` Here \`${model.index.textOf(first.range)}\` always expands to "${first.fallback}", ` +
      'whatever platform is built.';
  } else if (setting === 'GOARM') {
    // An empty GOARM is no error: Go uses its default ARM version for every arm variant.
    message +=
      ' Here GOARM is set to an empty string, so Go builds every arm variant (v6, v7) for its ' +
      'default ARM version.';
  } else if (setting !== undefined) {
    message +=
      ` Here ${setting} is set to an empty string, so Go builds for the machine running the ` +
      'build instead of the target platform.';
  } else {
    message += ` Here ${one ? 'it expands' : 'they expand'} to an empty string.`;
  }
  const later = laterDeclaration(model, stage, first);
  if (later !== undefined) message += ` (The ARG on line ${later} comes after this use.)`;
  return {
    messageId: one ? 'undeclared' : 'undeclaredSeveral',
    data: { names: listNames(names), stage: stageLabel(stage) },
    detail: message,
  };
}

function helperMessage(
  stage: Stage,
  use: PlatformArgUse,
): { messageId: MessageId; data: MessageData } {
  const what = use.helper === 'go' ? '`go` wrapped by `xx-go --wrap`' : `\`${use.helper}\``;
  return { messageId: 'helperForBuildMachine', data: { helper: what, stage: stageLabel(stage) } };
}

type MessageId = 'undeclared' | 'undeclaredSeveral' | 'helperForBuildMachine';

export const targetArgUndeclared: Rule<MessageId> = {
  meta: {
    id: 'target-arg-undeclared',
    description:
      'An automatic platform ARG ($TARGETARCH, $TARGETOS, ...) is used in a stage that does not declare it, where it is empty.',
    defaultSeverity: 'warning',
    fixable: true,
    messages: {
      undeclared: '{{names}} is not declared in {{stage}}: it is empty here.',
      undeclaredSeveral: '{{names}} are not declared in {{stage}}: they are empty here.',
      helperForBuildMachine:
        '{{helper}} builds for the build machine: {{stage}} declares no `ARG TARGETPLATFORM`.',
    },
    details: {
      helperForBuildMachine:
        'It reads the target platform from $TARGETPLATFORM, but {{stage}} declares neither `ARG TARGETPLATFORM` nor `ARG TARGETARCH`, so it targets the machine running the build. Declare `ARG TARGETPLATFORM` in this stage.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const stage of model.stages) {
      const uses = platformArgUses(model, stage).filter((u) => !u.declared && !harmless(u));
      if (uses.length === 0) continue;
      const names = sortPlatformArgs(uses.map((u) => u.name));
      // `GOARM=$TARGETVARIANT` works while the variant is empty; declared, it gets BuildKit's
      // `v7`, which Go rejects: the fix strips the `v` there too.
      const goarm = goarmUses(model, stage).filter((u) => !u.declared);
      const stripped = goarm.filter((u) => u.bare);
      const fix: Fix = {
        title:
          stripped.length > 0
            ? `Declare ARG ${names.join(' ')} in this stage and set GOARM from \${${stripped[0].name}#v}`
            : `Declare ARG ${names.join(' ')} in this stage`,
        kind: 'quickfix',
        isPreferred: true,
        // With `${NAME:-default}` the build has worked with the default so far; the real value
        // may pick other files or tools, so that change is left to a person. So is a GOARM that
        // the variant would now reach.
        safe: uses.every((u) => u.fallback === undefined) && goarm.length === 0,
        edits: [declareArgsEdit(model, stage, names), ...stripped.map(stripVariantEdit)],
      };
      const groups = new Map<
        Instruction,
        { explicit: PlatformArgUse[]; helpers: PlatformArgUse[] }
      >();
      for (const use of uses) {
        let group = groups.get(use.instruction);
        if (!group) groups.set(use.instruction, (group = { explicit: [], helpers: [] }));
        (use.helper !== undefined ? group.helpers : group.explicit).push(use);
      }
      for (const { explicit, helpers } of groups.values()) {
        if (explicit.length > 0) {
          report({
            range: explicit[0].range,
            ...explicitMessage(model, stage, explicit),
            fixes: [fix],
          });
        }
        if (helpers.length > 0) {
          const helper = helpers[0];
          report({ range: helper.range, ...helperMessage(stage, helper), fixes: [fix] });
        }
      }
    }
  },
};
