// Catches a final stage based on a Go toolchain image (or given the golang image's toolchain by
// COPY) that builds and runs the program there
// (with go build, go install, go run, or make or a build script writing the binary it starts):
// the image ships the compiler and the sources (about 800 MB) to run one static binary.
// Development and test images (live reload, a debugger, an idle container) need the toolchain at
// run time: they are left alone, as the conversion refuses them (facts/dev-image.ts); so is an
// image that a compose service runs the toolchain in (`command: go test ./...`).
import { developmentImage, sourcesInImage } from '../facts/dev-image';
import { toolchainOverride } from '../facts/start-overrides';
import type { DockerfileModel } from '../model/model';
import { baseImageText, runTarget, startProgram, toolBuiltStart } from '../facts/start';
import { copiedGoToolchain, hasGoToolchain } from '../facts/go-toolchain';
import { type Report, type Rule, shortImage } from './rule';

type MessageId = 'shipsToolchain' | 'shipsToolchainAndSources' | 'copiesToolchain';

export const goToolchainInFinalStage: Rule<MessageId> = {
  meta: {
    id: 'go-toolchain-in-final-stage',
    description: 'The final stage ships the Go toolchain and sources.',
    defaultSeverity: 'warning',
    fixable: true,
    perShippedStage: true,
    messages: {
      shipsToolchain: 'The final image ships the Go toolchain: {{image}} is its base.',
      shipsToolchainAndSources:
        'The final image ships the Go toolchain and the sources: {{image}} is its base.',
      copiesToolchain: 'The final image ships the Go toolchain: it copies it in from {{image}}.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const stage = model.finalStage;
    if (!stage || !hasGoToolchain(stage)) return;
    const target = runTarget(stage);
    // A binary that `make` or a build script writes below the directory it ran in.
    const start = target ? undefined : startProgram(stage);
    const made = start && toolBuiltStart(stage, start);
    if (!target && !made) return;
    // A development or test image: the toolchain is what it runs (air, reflex, dlv, go test).
    if (developmentImage(stage) || toolchainOverride(model, stage)) return;
    const sources = sourcesInImage(model, stage);
    // `go run` ships the toolchain only when the sources are in the image to run from; without
    // them they are mounted at run time, as in a development container.
    if (target?.kind === 'go-run' && !sources) return;
    const what = !target
      ? `runs ${made!.path}, which \`${made!.tool}\` builds there`
      : target.kind === 'go-run'
        ? 'runs the program with `go run`'
        : `builds ${target.path} and runs it`;
    const copied = stage.facts.goToolchain ? undefined : copiedGoToolchain(stage);
    if (copied) {
      const from = copied.copy.from!;
      report({
        range: from.range,
        messageId: 'copiesToolchain',
        data: { image: shortImage(from.value) },
        detail:
          `The final stage copies the Go toolchain in from ${from.value} (line ` +
          `${copied.copy.instruction.getRange().start.line + 1}) and ${what}` +
          (sources ? ', with the sources' : '') +
          '. Build in a stage of its own and copy only the binary into the final stage.',
        resolvedByConversion: true,
      });
      return;
    }
    report({
      range: stage.baseRange ?? stage.from.getRange(),
      messageId: sources ? 'shipsToolchainAndSources' : 'shipsToolchain',
      data: { image: shortImage(baseImageText(stage)) },
      detail:
        `The final stage is based on ${baseImageText(stage)} and ${what}. Build in one stage ` +
        'and copy only the binary into a minimal runtime stage.',
      // "Convert to multi-stage" is the fix: the engine attaches it, or why it is not offered.
      resolvedByConversion: true,
    });
  },
};
