/**
 * Inlay hints: what the model knows about a line that the text does not show. The base image a
 * FROM resolves to when it is spelled with ARGs (`golang:${GO_VERSION}` → `golang:1.23`), the
 * stage a numeric `--from=0` names, the binary each `go build` / `go install` writes, the cgo
 * setting and target architecture it builds with, and the user the shipped image runs as. Shaped
 * like LSP InlayHint (zero-based positions); the editor shows them only when the user turns the
 * `goMultistage.inlayHints.enable` setting on.
 */
import { locateCommand } from '../model/command-words';
import type { CopyInfo, DockerfileModel, GoCall, Stage } from '../model/model';
import { cgoState } from '../model/model';
import { outputPaths } from '../model/go-invocation';
import { isBuildPlatformValue, effectivePlatform } from '../facts/platform';
import type { Position, Range } from '../types';

export interface Hint {
  position: Position;
  label: string;
  /** Shown on hover over the hint. */
  tooltip: string;
  /** `type` for a value a name stands for, `parameter` for what an argument names. */
  kind: 'type' | 'parameter';
}

/** The hints of the lines in `range` (the whole document when no range is given). */
export function inlayHints(model: DockerfileModel, range?: Range): Hint[] {
  const hints: Hint[] = [];
  for (const stage of model.stages) {
    baseImageHint(stage, hints);
    for (const copy of stage.copies) stageIndexHint(copy, hints);
    for (const call of stage.goCalls) buildHints(model, stage, call, hints);
  }
  finalUserHint(model, hints);
  const inRange = (p: Position) =>
    !range ||
    ((p.line > range.start.line ||
      (p.line === range.start.line && p.character >= range.start.character)) &&
      (p.line < range.end.line ||
        (p.line === range.end.line && p.character <= range.end.character)));
  return hints
    .filter((h) => inRange(h.position))
    .sort(
      (a, b) => a.position.line - b.position.line || a.position.character - b.position.character,
    );
}

/** `FROM golang:${GO_VERSION}-alpine` → the image it names once the ARGs are substituted. */
function baseImageHint(stage: Stage, hints: Hint[]): void {
  if (!stage.baseText || !stage.baseRange || !stage.base || !stage.baseText.includes('$')) return;
  const resolved = stage.base.text;
  if (resolved === stage.baseText) return;
  hints.push({
    position: stage.baseRange.end,
    label: `= ${resolved}`,
    tooltip: `The base image after the ARG defaults are substituted: ${resolved}. A --build-arg given to the build can change it.`,
    kind: 'type',
  });
}

/** `COPY --from=0` → the name of stage 0 (or "stage 0" when it has none). */
function stageIndexHint(copy: CopyInfo, hints: Hint[]): void {
  const from = copy.from;
  if (!from || from.target.kind !== 'stage' || !/^\d+$/.test(from.value)) return;
  const target = from.target.stage;
  hints.push({
    position: from.range.end,
    label: target.name !== undefined ? target.name : `stage ${target.index}`,
    tooltip:
      target.name !== undefined
        ? `--from=${from.value} is the stage named "${target.name}"; naming it keeps the reference right when stages are added or moved.`
        : `--from=${from.value} is stage ${target.index}, which has no name.`,
    kind: 'parameter',
  });
}

/** What a go build writes, and the cgo setting and architecture it builds with. */
function buildHints(model: DockerfileModel, stage: Stage, call: GoCall, hints: Hint[]): void {
  const subcommand = call.invocation.subcommand;
  if (subcommand !== 'build' && subcommand !== 'install') return;
  const located = locateCommand(model, call.run, call.commandIndex);
  const last = located?.words[located.words.length - 1];
  if (!last) return;
  const position = model.index.positionAt(last.end);
  const parts: string[] = [];
  const tooltips: string[] = [];
  const written = writtenPaths(call);
  if (written) {
    parts.push(`→ ${written}`);
    tooltips.push(`Writes ${written}.`);
  }
  const cgo = cgoState(stage, call);
  if (cgo.state !== 'unknown') {
    parts.push(`CGO_ENABLED=${cgo.state === 'on' ? '1' : '0'}`);
    tooltips.push(
      cgo.explicit
        ? `cgo is ${cgo.state}: CGO_ENABLED is set for this command.`
        : `cgo is ${cgo.state} by default in ${stage.baseText ?? 'this image'}.`,
    );
  }
  const arch = targetArch(stage, call);
  parts.push(`GOARCH=${arch.label}`);
  tooltips.push(arch.tooltip);
  hints.push({ position, label: parts.join(' · '), tooltip: tooltips.join('\n\n'), kind: 'type' });
}

function writtenPaths(call: GoCall): string | undefined {
  const paths = outputPaths(call.output);
  return paths.length === 0 ? undefined : paths.join(', ');
}

/** The GOARCH a build targets: set on the command or in the stage, else the stage's platform. */
function targetArch(stage: Stage, call: GoCall): { label: string; tooltip: string } {
  const value = call.invocation.env.get('GOARCH');
  if (typeof value === 'string' && value !== '') {
    return { label: value, tooltip: `GOARCH is set to ${value}.` };
  }
  if (value === null) {
    return {
      label: '(build-time)',
      tooltip: 'GOARCH comes from an ARG set only when the image is built.',
    };
  }
  if (call.invocation.viaXx) {
    return { label: '$TARGETARCH', tooltip: 'xx-go builds for $TARGETPLATFORM.' };
  }
  const platform = effectivePlatform(stage);
  if (platform && isBuildPlatformValue(platform.text)) {
    return {
      label: '$BUILDARCH',
      tooltip:
        'GOARCH is unset and the stage runs on --platform=$BUILDPLATFORM: the binary is built for the build machine, not for the target.',
    };
  }
  return {
    label: '$TARGETARCH',
    tooltip: 'GOARCH is unset: Go builds for the platform the stage runs on, the target platform.',
  };
}

/** The user the shipped image runs as, at the end of the final stage's FROM line. */
function finalUserHint(model: DockerfileModel, hints: Hint[]): void {
  const stage = model.finalStage;
  if (!stage) return;
  const fromEnd = stage.from.getRange().end;
  if (stage.user) {
    const line = stage.user.instruction.getRange().start.line + 1;
    hints.push({
      position: fromEnd,
      label: `runs as ${stage.user.value}`,
      tooltip: `The image runs as ${stage.user.value}, set by the USER on line ${line}.`,
      kind: 'type',
    });
    return;
  }
  if (stage.facts.family === 'unknown') return;
  const label = stage.facts.nonRoot ? 'runs as non-root (the image default)' : 'runs as root';
  hints.push({
    position: fromEnd,
    label,
    tooltip: stage.facts.nonRoot
      ? "No USER: the image's own default user, which is not root."
      : 'No USER in the final stage or the stages it builds on: the container runs as root.',
    kind: 'type',
  });
}
