// Catches a Go build stage that cross-compiles (GOARCH=$TARGETARCH) but runs on the target
// platform: BuildKit then runs the whole toolchain under QEMU emulation, many times slower.
import { cgoState, type DockerfileModel, type GoCall, type Stage } from '../model/model';
import { effectivePlatform, isTargetPlatformValue, stageLabel } from '../facts/platform';
import { buildsHostTool, goPlatformSource, targetsViaXx } from '../facts/go-platform';
import { programName } from '../model/shell';
import { shippedStages } from '../facts/builds';
import { chainFact, rootStage, stageTree } from '../facts/stage-tree';
import type { Fix, Range } from '../types';
import type { Report, Rule } from './rule';
import { oneBasedLine } from '../text/line-index';
import { insertAt, replaceRange } from '../edits/fixer';
import { isWindowsStage } from '../facts/windows';
import { isWithin, resolve } from '../text/posix-path';
import { perKey } from '../facts/memo';

interface Candidate {
  /** The stage whose FROM decides the platform (the root of the chain, or the one with the flag). */
  root: Stage;
  stage: Stage;
  calls: GoCall[];
}

/** go subcommands that run what they build, which a cross-compiling stage could not do. */
const RUNS_PROGRAMS = new Set(['test', 'run', 'generate', 'tool']);

/** The stage or one it is built on runs what go builds (`go test`, `go generate`, ...). */
const runsGoPrograms = chainFact<boolean>(
  (stage, inherited) =>
    inherited === true ||
    stage.runs.some((run) =>
      run.commands.some(
        (c) =>
          (programName(c.words[0]) === 'go' || programName(c.words[0]) === 'xx-go') &&
          RUNS_PROGRAMS.has(c.words[1]?.text ?? ''),
      ),
    ),
);

function candidate(model: DockerfileModel, stage: Stage): Candidate | undefined {
  if (!stage.facts.goToolchain) return undefined;
  const platform = effectivePlatform(stage);
  // A constant platform is a deliberate pin; $BUILDPLATFORM already runs natively.
  if (platform && !isTargetPlatformValue(platform.text)) return undefined;
  const builds = stage.goCalls.filter(
    (c) =>
      (c.invocation.subcommand === 'build' || c.invocation.subcommand === 'install') &&
      c.output.kind !== 'none',
  );
  const crossing = builds.filter(
    (c) => targetsViaXx(model, c) || goPlatformSource(model, c, 'GOARCH').kind === 'target',
  );
  if (crossing.length === 0) return undefined;
  // Under emulation an unset GOARCH is the target's; on the build machine it would not be.
  const crossingSet = new Set(crossing);
  const native = builds.filter(
    (c) =>
      !crossingSet.has(c) &&
      goPlatformSource(model, c, 'GOARCH').kind === 'unset' &&
      !buildsHostTool(model, c),
  );
  if (native.length > 0) return undefined;
  // cgo needs a C compiler for the target: emulation provides one, the build machine does not
  // (unless xx sets one up).
  if (
    crossing.some((c) => !targetsViaXx(model, c) && c.invocation.env.get('CGO_ENABLED') === '1')
  ) {
    return undefined;
  }
  if (runsGoPrograms(stage)) return undefined;
  const root = platform?.stage ?? rootStage(stage);
  // The image itself is built on this FROM: on the build platform, the image would be for the
  // build machine with a binary for the target inside.
  if (shippedStages(model).some((s) => stageTree(model.stages).isBuiltOn(s.stage, root))) {
    return undefined;
  }
  return { root, stage, calls: crossing };
}

/** Where an image keeps programs and libraries built for its platform. */
const PLATFORM_DIRS = [
  '/bin',
  '/sbin',
  '/lib',
  '/lib64',
  '/usr/bin',
  '/usr/sbin',
  '/usr/lib',
  '/usr/lib64',
  '/usr/libexec',
  '/usr/local/bin',
  '/usr/local/sbin',
  '/usr/local/lib',
  '/usr/local/go',
];

/**
 * The programs and libraries of an image that COPY --from instructions copy out of a stage, not
 * a Go build's output (`COPY --from=builder /usr/local/go/bin/go …`), with their lines: found
 * once per model.
 */
const copiedPlatformFiles = perKey((model: DockerfileModel) => {
  const found: { from: Stage; path: string; line: number }[] = [];
  for (const stage of model.stages) {
    for (const copy of stage.copies) {
      if (copy.from?.target.kind !== 'stage') continue;
      const from = copy.from.target.stage;
      for (const source of copy.sources) {
        if (source.text.includes('$')) continue;
        const path = resolve('/', source.text);
        const platformFile =
          path === '/' || PLATFORM_DIRS.some((dir) => isWithin(path, dir) || isWithin(dir, path));
        if (!platformFile || from.fs.lookup(path).entry?.origin === 'go') continue;
        found.push({ from, path, line: oneBasedLine(copy.instruction.getRange()) });
      }
    }
  }
  return found;
});

/**
 * A program or library of the image that another stage copies out of a stage built on `root`:
 * with `root` moved to the build platform it would be the build machine's.
 */
function copiedPlatformFile(
  model: DockerfileModel,
  root: Stage,
): { path: string; line: number } | undefined {
  const tree = stageTree(model.stages);
  return copiedPlatformFiles(model).find((copied) => tree.isBuiltOn(copied.from, root));
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function platformFix(root: Stage): Fix | undefined {
  let edit;
  if (root.platform) {
    edit = replaceRange(root.platform.range, '$BUILDPLATFORM');
  } else if (root.baseRange) {
    edit = insertAt(root.baseRange.start, '--platform=$BUILDPLATFORM ');
  } else {
    return undefined;
  }
  return {
    title: 'Run this stage on the build platform (--platform=$BUILDPLATFORM)',
    kind: 'quickfix',
    isPreferred: true,
    // Every stage built on this one moves too, and cgo turns off when cross-compiling.
    safe: false,
    edits: [edit],
  };
}

type MessageId = 'underEmulation';

export const crossCompileUnderEmulation: Rule<MessageId> = {
  meta: {
    id: 'cross-compile-under-emulation',
    description:
      'A Go build stage cross-compiles with GOARCH=$TARGETARCH but lacks --platform=$BUILDPLATFORM, so it runs under emulation.',
    defaultSeverity: 'hint',
    fixable: true,
    messages: {
      underEmulation: '{{stage}} cross-compiles under emulation: add `--platform=$BUILDPLATFORM`.',
    },
    details: {
      underEmulation:
        "It cross-compiles {{how}} (line {{line}}), but {{where}}, so it runs on the target platform: for every platform but the build machine's, BuildKit runs the Go toolchain under QEMU emulation, many times slower. Go cross-compiles natively: build on the build machine with `FROM --platform=$BUILDPLATFORM`.{{notes}}",
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    // Every build the project declares is for the builder's own platform (no --platform, no
    // platforms): no stage ever runs under emulation.
    const builds = model.options.builds ?? [];
    if (builds.length > 0 && builds.every((build) => build.platforms === undefined)) return;
    const byRoot = new Map<Stage, Candidate[]>();
    for (const stage of model.stages) {
      // Windows builders run no emulation, and the classic one has no `$BUILDPLATFORM`.
      if (isWindowsStage(model, stage)) continue;
      const found = candidate(model, stage);
      if (!found) continue;
      const list = byRoot.get(found.root) ?? [];
      list.push(found);
      byRoot.set(found.root, list);
    }
    for (const [root, candidates] of byRoot) {
      const first = candidates[0].calls[0];
      const how = targetsViaXx(model, first) ? 'with xx-go' : 'with GOARCH from $TARGETARCH';
      const cgoNote = candidates.some((c) =>
        c.calls.some((call) => {
          const cgo = cgoState(c.stage, call);
          return cgo.state === 'on' && !cgo.explicit && !targetsViaXx(model, call);
        }),
      )
        ? ' cgo is on by default in this image but off when cross-compiling: if the program needs cgo, keep emulation or use xx.'
        : '';
      const where = root.platform
        ? `its FROM says --platform=${root.platform.text}`
        : 'its FROM has no --platform';
      const range: Range = root.platform?.range ?? root.baseRange ?? root.from.getRange();
      // On the build machine, `go install` cross-compiles into $GOPATH/bin/<os>_<arch>/, and
      // refuses to when GOBIN is set: the paths after it would break, so no FROM edit alone.
      const install = candidates
        .flatMap((c) => c.calls)
        .find((call) => call.invocation.subcommand === 'install' && !targetsViaXx(model, call));
      const installNote = install
        ? ` On the build machine the \`go install\` of line ${oneBasedLine(install.run.instruction.getRange())} would ` +
          (install.invocation.env.get('GOBIN')
            ? 'fail (Go refuses to install cross-compiled binaries when GOBIN is set)'
            : 'write to $GOPATH/bin/<os>_<arch>/ instead')
        : '';
      // Files of the image's own platform copied out (the toolchain's `go`, a package's
      // program) would come from the build machine's image after the edit.
      const copied = install ? undefined : copiedPlatformFile(model, root);
      const copiedNote = copied
        ? ` Line ${copied.line} copies ${copied.path} out of it, which on the build machine would ` +
          "be built for the build machine's platform: no FROM edit alone."
        : '';
      const fix = install || copied ? undefined : platformFix(root);
      report({
        range,
        messageId: 'underEmulation',
        data: {
          stage: capitalized(stageLabel(candidates[0].stage)),
          how,
          line: oneBasedLine(first.run.instruction.getRange()),
          where,
          notes: install
            ? `${cgoNote}${installNote}: build with \`go build -o\` before moving the stage.`
            : cgoNote + copiedNote,
        },
        fixes: fix ? [fix] : [],
      });
    }
  },
};
