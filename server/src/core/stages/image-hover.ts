/**
 * Hover text on a golang image in a FROM line: the Go release its tag selects and whether Go
 * still supports it (from the release data shipped with the extension), and the image's
 * approximate size beside that of the image the program ships on. Nothing is fetched.
 */
import {
  endingMinor,
  GO_RELEASE_DATA,
  goReleaseLines,
  goVersionStatus,
  supportedGoLines,
} from '../data/go-releases';
import { formatSize, IMAGE_SIZE_DATA, imageSizeOf, sizeLabel } from '../facts/image-sizes';
import { golangBases, type GolangBase } from '../facts/golang-bases';
import type { DockerfileModel } from '../model/model';
import { rootStage } from '../facts/stage-tree';
import type { Position } from '../types';
import type { HoverContent } from './hover';
import { touches } from './sites';

function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${text}${ticks}`;
}

function dated(version: string, date: string | undefined): string {
  return date ? `${version} (${date})` : version;
}

/** What the release data says of the Go release the tag selects. */
function releaseText(version: string | undefined): string {
  const newest = goReleaseLines()[0];
  if (!newest) return '';
  const supported = supportedGoLines()
    .map((line) => line.minor)
    .join(' and ');
  if (version === undefined) {
    return `The newest Go release when pulled: ${dated(newest.latest, newest.latestDate)} as of the release data.`;
  }
  const status = goVersionStatus(version);
  switch (status.kind) {
    case 'unsupported':
      return (
        `Go ${status.line.minor} has been **out of support** since ${status.endedBy.released} ` +
        `(the release of Go ${status.endedBy.minor}): no more security fixes. Its last patch is ` +
        `${dated(status.line.latest, status.line.latestDate)}. Supported: Go ${supported}.`
      );
    case 'old-patch':
      return (
        `Go ${version} is behind the newest ${status.line.minor} patch, ` +
        `${dated(status.line.latest, status.line.latestDate)}. Go ${status.line.minor} is ` +
        `supported until Go ${endingMinor(status.line.minor)} comes out.`
      );
    case 'current': {
      const line = status.line;
      if (!version.includes('.')) {
        return `The newest Go 1.x release when pulled: ${dated(newest.latest, newest.latestDate)} as of the release data.`;
      }
      const patch =
        version.split('.').length === 3
          ? `its newest patch is ${dated(line.latest, line.latestDate)}`
          : `the tag follows its patches: ${dated(line.latest, line.latestDate)} as of the release data`;
      return `Go ${line.minor} is supported until Go ${endingMinor(line.minor)} comes out; ${patch}.`;
    }
    case 'newer':
      return `Go ${version} is newer than the release data.`;
    case 'unknown':
      return '';
  }
}

/** The image's size, and what the program ships on instead or already. */
function sizeText(
  model: DockerfileModel,
  base: GolangBase,
  runtimeImage: (() => string | undefined) | undefined,
): string | undefined {
  // A COPY takes only the toolchain from the image: its size is not what the stage weighs.
  if (base.copy) return undefined;
  const size = imageSizeOf(base.reference);
  if (!size) return undefined;
  const own = `Size: ${formatSize(size.bytes)}`;
  const final = model.finalStage;
  if (!final) return own;
  const shipped = rootStage(final);
  if (shipped === base.stage) {
    // The final image is this golang image: the conversion's runtime is what it could be.
    const image = runtimeImage?.();
    const runtime = image === undefined ? undefined : imageSizeOf(image);
    return runtime
      ? `${own} → ${formatSize(runtime.bytes)} on ${sizeLabel(runtime)} after Convert to multi-stage, plus the program`
      : own;
  }
  const finalSize = shipped.base ? imageSizeOf(shipped.base) : undefined;
  return finalSize
    ? `${own}, left behind in this build stage: the final image is ${formatSize(finalSize.bytes)} on ${sizeLabel(finalSize)}, plus the program`
    : `${own}, left behind in this build stage`;
}

/**
 * Hover content on a golang image of a FROM line (or of the `--from` of a COPY of its
 * toolchain), when the position is on one.
 * `runtimeImage` tells the runtime "Convert to multi-stage" would use for this file, if it
 * applies; it is asked only when the final image is the hovered one.
 */
export function golangImageHoverAt(
  model: DockerfileModel,
  position: Position,
  runtimeImage?: () => string | undefined,
): HoverContent | undefined {
  const base = golangBases(model).find((b) => touches(b.range, position));
  if (!base) return undefined;
  const lines = [`**${code(base.traced.value)}**`];
  const release = releaseText(base.version);
  if (release) lines.push(release);
  const size = sizeText(model, base, runtimeImage);
  if (size) lines.push(size);
  const dates =
    GO_RELEASE_DATA.date === IMAGE_SIZE_DATA.date
      ? `Go release data and image sizes (compressed, linux/amd64) of ${GO_RELEASE_DATA.date}.`
      : `Go release data of ${GO_RELEASE_DATA.date}; image sizes (compressed, linux/amd64) of ${IMAGE_SIZE_DATA.date}.`;
  lines.push(`_${dates}_`);
  return { markdown: lines.join('\n\n'), range: base.range };
}
