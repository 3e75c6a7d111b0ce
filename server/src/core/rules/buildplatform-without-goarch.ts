// Catches a go build in a stage that runs on the build machine (FROM --platform=$BUILDPLATFORM)
// with no GOARCH from the target ARGs: every platform's image then gets the build machine's binary.
import type { DockerfileModel, GoCall, Stage } from '../model/model';
import {
  declaredAt,
  effectivePlatform,
  isBuildPlatformValue,
  stageLabel,
  type StagePlatform,
} from '../facts/platform';
import {
  buildsHostTool,
  goAndSubcommandRange,
  goPlatformSource,
  targetsViaXx,
} from '../facts/go-platform';
import { declareArgsEdit, mergeInsertions } from '../edits/declare-args';
import { oneBasedLine } from '../text/line-index';
import type { Fix, TextEdit } from '../types';
import type { Report, Rule } from './rule';

import { insertBeforeCommand } from '../edits/command-edits';
import { keywordLike } from '../edits/instruction-edits';
import { insertAtStart } from '../edits/insert-line';

/**
 * The fix: `GOOS=$TARGETOS GOARCH=$TARGETARCH ` before the go command (GOOS only when the
 * command has none), or an ENV line before an exec-form RUN, which runs no shell to expand them;
 * plus the ARG declarations the stage lacks.
 */
function targetFix(
  model: DockerfileModel,
  stage: Stage,
  call: GoCall,
  withGoos: boolean,
): Fix | undefined {
  const run = call.run;
  const assignments = withGoos ? 'GOOS=$TARGETOS GOARCH=$TARGETARCH' : 'GOARCH=$TARGETARCH';
  const edits: TextEdit[] = [];
  const runStart = model.index.offsetAt(run.instruction.getRange().start);
  const missing = (withGoos ? ['TARGETOS', 'TARGETARCH'] : ['TARGETARCH']).filter(
    (name) => !declaredAt(model, stage, name, runStart),
  );
  if (missing.length > 0) edits.push(declareArgsEdit(model, stage, missing));
  if (run.exec) {
    const env = keywordLike(model, stage.from, 'ENV');
    edits.push(insertAtStart(model, run.instruction, [`${env} ${assignments}`]));
  } else {
    const edit = insertBeforeCommand(model, run, call.commandIndex, `${assignments} `);
    if (!edit) return undefined;
    edits.push(edit);
  }
  return {
    title: `Build for the target platform (${assignments})`,
    kind: 'quickfix',
    isPreferred: true,
    // Cross-compiling also turns cgo off by default, which changes the binary beyond its arch.
    safe: false,
    edits: mergeInsertions(model, edits),
  };
}

function platformOrigin(stage: Stage, platform: StagePlatform): string {
  const where = `line ${oneBasedLine(platform.range)}`;
  return platform.stage === stage
    ? `--platform=${platform.text} on ${where}`
    : `--platform=${platform.text} on ${where}, inherited from ${stageLabel(platform.stage)}`;
}

type MessageId = 'noGoarch';

export const buildplatformWithoutGoarch: Rule<MessageId> = {
  meta: {
    id: 'buildplatform-without-goarch',
    description:
      'A go build in a stage on --platform=$BUILDPLATFORM sets no GOARCH from the target ARGs, so it builds for the build machine.',
    defaultSeverity: 'error',
    fixable: true,
    messages: {
      noGoarch:
        'This go {{subcommand}} compiles for the build machine, not the target platform: it sets no GOARCH.',
    },
    details: {
      noGoarch:
        'It runs in {{stage}} on the build machine\'s platform ({{platformOrigin}}), so every platform\'s image gets the same binary, which fails with "exec format error" on the others. Build with GOOS=$TARGETOS GOARCH=$TARGETARCH (declared with `ARG TARGETOS TARGETARCH`), or with xx-go.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const stage of model.stages) {
      // `FROM --platform=$BUILDPLATFORM` runs the stage natively on the machine running the build;
      // the go command there builds for that machine unless GOOS/GOARCH say otherwise.
      const platform = effectivePlatform(stage);
      if (!platform || !isBuildPlatformValue(platform.text)) continue;
      for (const call of stage.goCalls) {
        const sub = call.invocation.subcommand;
        if ((sub !== 'build' && sub !== 'install') || call.output.kind === 'none') continue;
        if (targetsViaXx(model, call)) continue;
        if (goPlatformSource(model, call, 'GOARCH').kind !== 'unset') continue;
        if (buildsHostTool(model, call)) continue;
        const withGoos = goPlatformSource(model, call, 'GOOS').kind === 'unset';
        const fix = targetFix(model, stage, call, withGoos);
        report({
          range: goAndSubcommandRange(model, call),
          messageId: 'noGoarch',
          data: {
            subcommand: sub,
            stage: stageLabel(stage),
            platformOrigin: platformOrigin(stage, platform),
          },
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
};
