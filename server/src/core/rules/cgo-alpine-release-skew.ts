// Catches a cgo binary built on a golang:*-alpine3.N image and run on an older alpine:3.M: it is
// linked against the newer release's musl and C libraries, which the older one may lack.
import { linksStatically } from '../model/go-invocation';
import { golangAlpineRelease } from '../facts/golang-bases';
import { cgoState, type DockerfileModel, type GoCall, type Stage } from '../model/model';
import { rootStage } from '../facts/stage-tree';
import type { Fix, Range } from '../types';
import type { Report, Rule } from './rule';
import { oneBasedLine } from '../text/line-index';
import { replaceBaseImage } from '../edits/instruction-edits';

/** An Alpine release as [major, minor]. */
type Release = [number, number];

function releaseText(release: Release): string {
  return `${release[0]}.${release[1]}`;
}

function newer(a: Release, b: Release): boolean {
  return a[0] !== b[0] ? a[0] > b[0] : a[1] > b[1];
}

/** The release an `alpine:3.18` or `alpine:3.18.4` base names (not `latest`, `3` or `edge`). */
function runtimeRelease(stage: Stage): Release | undefined {
  const root = rootStage(stage);
  if (root.facts.family !== 'alpine' || !root.base?.tag) return undefined;
  const match = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(root.base.tag);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** The fix: the runtime's FROM names the builder's release, when it is written out plainly. */
function runtimeFix(stage: Stage, release: Release): Fix | undefined {
  const root = rootStage(stage);
  const text = root.baseText;
  if (!text || text.includes('@')) return undefined;
  const colon = text.lastIndexOf(':');
  if (colon < 0) return undefined;
  const image = `${text.slice(0, colon + 1)}${releaseText(release)}`;
  const edit = replaceBaseImage(root, image);
  if (!edit) return undefined;
  return {
    title: `Run on ${image}`,
    kind: 'quickfix',
    isPreferred: true,
    // Another base image: everything else the stage installs comes from the newer release too.
    safe: false,
    edits: [edit],
  };
}

interface Skew {
  call: GoCall;
  builder: Stage;
  runtime: Stage;
  built: Release;
  runs: Release;
  copyRange: Range;
}

type MessageId = 'newerAlpine';

export const cgoAlpineReleaseSkew: Rule<MessageId> = {
  meta: {
    id: 'cgo-alpine-release-skew',
    description:
      'A cgo binary built on a golang:*-alpine image of a newer Alpine release than the alpine image it runs on.',
    defaultSeverity: 'info',
    fixable: true,
    messages: {
      newerAlpine:
        'This cgo binary, built on Alpine {{built}}, may not load on the older Alpine {{runs}}.',
    },
    details: {
      newerAlpine:
        'This copies a cgo binary built on Alpine {{built}} ({{builderImage}}, line {{buildLine}}) into {{runtimeImage}}, an older Alpine {{runs}}: it is linked against the newer musl and C libraries, which may fail to load there ("symbol not found"). Run it on alpine:{{built}} or build on golang:*-alpine{{runs}}.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const found: Skew[] = [];
    for (const runtime of model.stages) {
      const runs = runtimeRelease(runtime);
      if (!runs) continue;
      for (const copy of runtime.copies) {
        if (copy.from?.target.kind !== 'stage') continue;
        const copied = runtime.fs
          .goBinaries()
          .filter((b) => b.entry.instruction === copy.instruction);
        for (const { binary } of copied) {
          const call = binary.call as GoCall;
          const builder = model.stages[call.stageIndex];
          const built = golangAlpineRelease(builder);
          if (!built || !newer(built, runs)) continue;
          if (cgoState(builder, call).state !== 'on' || linksStatically(call.invocation)) continue;
          if (found.some((f) => f.call === call && f.runtime === runtime)) continue;
          found.push({
            call,
            builder,
            runtime,
            built,
            runs,
            copyRange: copy.instruction.getRange(),
          });
        }
      }
    }
    for (const { call, builder, runtime, built, runs, copyRange } of found) {
      const builderImage = rootStage(builder).baseText ?? 'the builder';
      const runtimeImage = rootStage(runtime).baseText ?? 'the runtime image';
      const fix = runtimeFix(runtime, built);
      report({
        range: copyRange,
        messageId: 'newerAlpine',
        data: {
          built: releaseText(built),
          runs: releaseText(runs),
          builderImage,
          buildLine: oneBasedLine(call.instruction.getRange()),
          runtimeImage,
        },
        fixes: fix ? [fix] : [],
      });
    }
  },
};
