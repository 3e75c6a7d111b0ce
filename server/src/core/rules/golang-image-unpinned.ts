// Catches a golang image whose tag names no Go version (`golang`, `golang:latest`, `golang:alpine`,
// `golang:1`): each pull can bring a newer Go, so the same Dockerfile builds a different binary.
import { goModOfImage } from '../facts/go-version-gap';
import { golangBases, imageGoUse, type GolangBase } from '../facts/golang-bases';
import {
  currentVariantFor,
  goPinFor,
  golangTagEdit,
  OLD_DISTRIBUTION,
  raisedPinReason,
} from '../edits/golang-tag';
import type { DockerfileModel } from '../model/model';
import type { Fix } from '../types';
import { type Report, type Rule, shortImage } from './rule';

// Variants of the official image that a Go version can be put in front of (`1.22-alpine3.20`).
const VARIANT =
  /^(alpine(\d+\.\d+)?|bookworm|bullseye|buster|stretch|trixie|windowsservercore(-\S+)?|nanoserver(-\S+)?)$/;

/** Where the version goes in the tag, and the tag it makes. */
interface Placement {
  /** Offsets in the image name of the text replaced (equal for an insertion). */
  start: number;
  end: number;
  text: string;
  tag: string;
  /** The version goes in front of a variant (`alpine` → `1.25-alpine`). */
  beforeVariant: boolean;
}

/**
 * Where Go `required` goes: it replaces `1` or `latest`, goes before a variant, or makes the
 * tag; undefined for a variant it cannot go in front of.
 */
function placeVersion(base: GolangBase, required: string): Placement | undefined {
  const { version, variant, tagStart } = base;
  if (tagStart === undefined) {
    const at = base.repositoryEnd;
    return { start: at, end: at, text: `:${required}`, tag: required, beforeVariant: false };
  }
  if (version !== undefined) {
    const tag = required + (variant !== undefined ? `-${variant}` : '');
    const end = tagStart + version.length;
    return { start: tagStart, end, text: required, tag, beforeVariant: false };
  }
  if (variant === 'latest') {
    const end = tagStart + variant.length;
    return { start: tagStart, end, text: required, tag: required, beforeVariant: false };
  }
  if (variant !== undefined && VARIANT.test(variant)) {
    const tag = `${required}-${variant}`;
    return { start: tagStart, end: tagStart, text: `${required}-`, tag, beforeVariant: true };
  }
  return undefined;
}

type MessageId = 'majorOnly' | 'noVersion';

export const golangImageUnpinned: Rule<MessageId> = {
  meta: {
    id: 'golang-image-unpinned',
    description: 'A golang image whose tag names no Go minor version.',
    defaultSeverity: 'warning',
    fixable: true,
    messages: {
      majorOnly: "{{image}} only pins Go's major version: pin a Go release.",
      noVersion: '{{image}} names no Go version: pin a Go release.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const base of golangBases(model)) {
      // A digest pins the image whatever the tag says; a stage that compiles nothing with the
      // image's Go (it supplies certificates or zoneinfo.zip) is the same with any Go.
      if (base.reference.digest !== undefined || !imageGoUse(model, base)) continue;
      const version = base.version;
      // `1.22` floats over patch releases only, which keep compatibility: that counts as pinned.
      if (version !== undefined && version.includes('.')) continue;
      // The go.mod of the module the image builds (one in a subfolder has its own go line).
      const own = goModOfImage(model, base);
      const goLine = own?.goMod.go;
      const goPin = goLine === undefined ? undefined : goPinFor(goLine);
      const required = goPin?.pin;
      const raised = goPin?.raisedFrom !== undefined;
      const goModName = own?.path ?? 'go.mod';
      const source = raised
        ? `the oldest supported Go (${raisedPinReason(goPin!, goModName)})`
        : `the minor version ${goModName} names`;
      const image = base.traced.value;
      const variant = base.variant;
      const message = {
        messageId: version !== undefined ? 'majorOnly' : 'noVersion',
        data: { image: shortImage(image) },
      } as const;
      const problem =
        version !== undefined
          ? `${image} only pins Go's major version: each new Go 1.x release changes the compiler ` +
            'and standard library it builds with.'
          : `${image} names no Go version: each new Go release changes the compiler and ` +
            'standard library it builds with.';
      const suffix = variant && variant !== 'latest' ? `-${variant}` : '';
      if (required === undefined) {
        report({
          range: base.range,
          ...message,
          detail:
            goLine === undefined
              ? `${problem} Pin a Go minor version (golang:1.<minor>${suffix}).`
              : `${problem} Pin a Go minor version (${goModName} says ${goLine}).`,
        });
        continue;
      }
      const placement = placeVersion(base, required);
      // A supported Go is built on the current distribution releases only: an old one named
      // in the tag (`alpine3.10`, `buster`) would make a tag that does not exist.
      if (placement?.beforeVariant && raised && OLD_DISTRIBUTION.test(variant!)) {
        report({
          range: base.range,
          ...message,
          detail:
            `${problem} Pin it to Go ${required}, ${source}, on a current ` +
            `${variant!.startsWith('alpine') ? 'Alpine' : 'Debian'} release ` +
            `(golang:${required}-${currentVariantFor(variant!)}).`,
        });
        continue;
      }
      if (!placement) {
        report({
          range: base.range,
          ...message,
          detail: `${problem} Pin it to Go ${required}, ${source}.`,
        });
        continue;
      }
      const { start, end, text, tag: newTag } = placement;
      const repository = image.slice(0, base.repositoryEnd);
      const pinned = `${repository}:${newTag}`;
      const edit = golangTagEdit(model, base, start, end, text, version === undefined);
      const fixes: Fix[] = edit.ok
        ? [
            {
              title: edit.arg ? `Set ARG ${edit.arg.name} to pin Go ${required}` : `Use ${pinned}`,
              kind: 'quickfix',
              isPreferred: true,
              edits: [edit.edit],
            },
          ]
        : [];
      const advice = edit.ok
        ? edit.arg
          ? `Pin ${source} through ARG ${edit.arg.name} (line ${edit.arg.range.start.line + 1}): ${pinned}.`
          : `Pin ${source}: ${pinned}.`
        : `Pin ${source}, ${pinned} (${edit.reason}, so change it by hand).`;
      report({ range: base.range, ...message, detail: `${problem} ${advice}`, fixes });
    }
  },
};
