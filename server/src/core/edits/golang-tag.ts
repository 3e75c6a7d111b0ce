/**
 * Edits to the tag of a golang FROM, made where the text is written: in the FROM line, or in the
 * default of the global ARG that spells it. An ARG default is only edited when every other use of
 * the ARG would want the same change.
 */
import { isOfficialGolang, type GolangBase } from '../facts/golang-bases';
import {
  argDeclarationAt,
  dependentArgNames,
  mentionsVariable,
  sourceRange,
} from '../facts/base-image-trace';
import type { ArgDeclaration, DockerfileModel } from '../model/model';
import { parseImageReference } from '../model/images';
import type { TextEdit } from '../types';
import { replaceRange } from './fixer';
import { GO_RELEASE_DATA, goVersionStatus, supportedGoLines } from '../data/go-releases';

/**
 * The golang image version to pin for a go.mod `go` (or `toolchain`) version: its minor release
 * (`1.25.0` and `1.25.3` → `1.25`), whose tag moves to each patch release, security fixes
 * included, and always satisfies the `go` line (a patch release never drops below it). A
 * pre-release (`1.26rc1`) names its own tag and stays as written. Undefined for text that is not
 * a Go version.
 */
export function golangImageVersion(goVersion: string): string | undefined {
  if (/^\d+\.\d+(?:rc|beta)\d+$/.test(goVersion)) return goVersion;
  return /^(\d+\.\d+)(?:\.\d+)?$/.exec(goVersion)?.[1];
}

/** The Go release to pin for a go.mod `go` (or `toolchain`) version, and why that one. */
export interface GoPin {
  /** The golang tag's version: go.mod's minor release, or the oldest supported one. */
  pin: string;
  /** go.mod's minor release, when it is out of support (the pin is then the oldest supported). */
  raisedFrom?: string;
}

/**
 * The golang image version that fixes and conversions pin for go.mod's `go` (or `toolchain`)
 * version: its minor release (golangImageVersion). A release line out of support (by the shipped
 * release data) gets no more security fixes, and golang-image-outdated reports it: then the
 * oldest supported line, which the go line allows (any newer Go builds the module). Undefined
 * for text that is not a Go version.
 */
export function goPinFor(goVersion: string): GoPin | undefined {
  const named = golangImageVersion(goVersion);
  if (named === undefined) return undefined;
  const oldest = supportedGoLines().at(-1)?.minor;
  if (oldest !== undefined && goVersionStatus(named).kind === 'unsupported') {
    return { pin: oldest, raisedFrom: named };
  }
  return { pin: named };
}

/** Why a raised pin is not go.mod's release: `go.mod's 1.22 is out of support, release data of …`. */
export function raisedPinReason(goPin: GoPin, goMod = 'go.mod'): string {
  return `${goMod}'s ${goPin.raisedFrom} is out of support, release data of ${GO_RELEASE_DATA.date}`;
}

/**
 * Tag variants naming a distribution release that the supported Go releases are not built on
 * (`alpine3.18`, `buster`): moved to a supported Go, such a tag would not exist.
 */
export const OLD_DISTRIBUTION = /^(?:alpine\d|stretch$|buster$|bullseye$)/;

/** The current variant of the same distribution as an old one (`alpine3.18` → `alpine`). */
export function currentVariantFor(variant: string): string {
  return variant.startsWith('alpine') ? 'alpine' : 'bookworm';
}

/**
 * A golang base's image with Go `goPin` in place of its `version`, and whether its variant had to
 * change too: a supported Go (a raised pin) on an old distribution release (`alpine3.18`) gets
 * that distribution's current variant, since its own tag would not exist (and no edit is made).
 */
export function imageWithGo(
  base: GolangBase,
  version: string,
  goPin: GoPin,
): { image: string; variantChanged: boolean } {
  const image = base.traced.value;
  const start = base.tagStart ?? image.length;
  const variant = base.variant;
  if (goPin.raisedFrom !== undefined && variant !== undefined && OLD_DISTRIBUTION.test(variant)) {
    const current = `${image.slice(0, start)}${goPin.pin}-${currentVariantFor(variant)}`;
    return { image: current, variantChanged: true };
  }
  return {
    image: image.slice(0, start) + goPin.pin + image.slice(start + version.length),
    variantChanged: false,
  };
}

function officialImage(text: string): boolean {
  return isOfficialGolang(parseImageReference(text));
}

export type TagEdit =
  { ok: true; edit: TextEdit; arg?: ArgDeclaration } | { ok: false; reason: string };

/**
 * An edit replacing `base.traced.value.slice(start, end)` (an insertion when they are equal) by
 * `newText`. `argMeaningChanges`: the edit changes what the ARG means (a variant becoming a
 * version), so a stage that reads the ARG (`ARG NAME` after a FROM) would see a different value.
 */
export function golangTagEdit(
  model: DockerfileModel,
  base: GolangBase,
  start: number,
  end: number,
  newText: string,
  argMeaningChanges: boolean,
): TagEdit {
  if (base.reference.digest !== undefined) {
    return {
      ok: false,
      reason: 'the image is pinned by digest, and a new tag needs its own digest',
    };
  }
  const range = sourceRange(model, base.traced, start, end);
  if (!range) {
    return { ok: false, reason: 'that part of the image name is not written in one place' };
  }
  const offset = model.index.offsetAt(range.start);
  const arg = argDeclarationAt(model, offset);
  if (!arg) return { ok: true, edit: replaceRange(range, newText) };
  const names = dependentArgNames(model, arg.name);
  const reads = (text: string | undefined) =>
    text !== undefined && [...names].some((n) => mentionsVariable(text, n));
  for (const stage of model.stages) {
    const golang = stage.base !== undefined && isOfficialGolang(stage.base);
    if (reads(stage.baseText) && !golang) {
      return {
        ok: false,
        reason: `ARG ${arg.name} also names the image of another stage (line ${stage.from.getRange().start.line + 1})`,
      };
    }
    const copy = stage.copies.find(
      (c) => c.from?.target.kind === 'image' && reads(c.from.raw) && !officialImage(c.from.value),
    );
    if (copy) {
      return {
        ok: false,
        reason: `ARG ${arg.name} also names the image of a COPY --from (line ${copy.instruction.getRange().start.line + 1})`,
      };
    }
    if (reads(stage.platform?.text)) {
      return { ok: false, reason: `ARG ${arg.name} also sets a --platform` };
    }
    if (argMeaningChanges && stage.args.some((a) => names.has(a.name))) {
      return { ok: false, reason: `ARG ${arg.name} is also read inside a stage` };
    }
  }
  return { ok: true, edit: replaceRange(range, newText), arg };
}
