// Catches a golang image whose tag names no Go version (`golang`, `golang:latest`, `golang:alpine`,
// `golang:1`): each pull can bring a newer Go, so the same Dockerfile builds a different binary.
import { GO_RELEASE_DATA, goVersionStatus, supportedGoLines } from '../data/go-releases';
import { golangBases } from '../facts/golang-bases';
import { golangImageVersion, golangTagEdit } from '../edits/golang-tag';
import type { DockerfileModel } from '../model/model';
import type { Fix } from '../types';
import { shortText, type Report, type Rule } from './rule';

// Variants of the official image that a Go version can be put in front of (`1.22-alpine3.20`).
const VARIANT =
  /^(alpine(\d+\.\d+)?|bookworm|bullseye|buster|stretch|trixie|windowsservercore(-\S+)?|nanoserver(-\S+)?)$/;

// Variants naming a distribution release that supported Go releases may no longer be built on.
const OLD_DISTRIBUTION = /^(?:alpine\d|stretch$|buster$|bullseye$)/;

type MessageId = 'majorOnly' | 'noVersion';

export const golangImageUnpinned: Rule<MessageId> = {
  meta: {
    id: 'golang-image-unpinned',
    description: 'A golang image whose tag names no Go minor version.',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'stage',
    messages: {
      majorOnly: "{{image}} only pins Go's major version: pin a Go release.",
      noVersion: '{{image}} names no Go version: pin a Go release.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const goLine = model.goMod?.go;
    // The minor release go.mod names (`go 1.25.0` → 1.25): its tag follows the patch releases.
    // A line out of support (by the shipped release data) gets no more security fixes, where
    // the floating tag had them: then the oldest supported line, which the go line allows.
    const named = goLine === undefined ? undefined : golangImageVersion(goLine);
    const oldest = supportedGoLines().at(-1)?.minor;
    const raised =
      named !== undefined && oldest !== undefined && goVersionStatus(named).kind === 'unsupported';
    const required = raised ? oldest : named;
    const source = raised
      ? `the oldest supported Go (go.mod's ${named} is out of support, release data of ${GO_RELEASE_DATA.date})`
      : 'the minor version go.mod names';
    for (const base of golangBases(model)) {
      // A digest pins the image whatever the tag says.
      if (base.reference.digest !== undefined) continue;
      const version = base.version;
      // `1.22` floats over patch releases only, which keep compatibility: that counts as pinned.
      if (version !== undefined && version.includes('.')) continue;
      const image = base.traced.value;
      const variant = base.variant;
      const message = {
        messageId: version !== undefined ? 'majorOnly' : 'noVersion',
        data: { image: shortText(image) },
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
              : `${problem} Pin a Go minor version (go.mod says ${goLine}).`,
        });
        continue;
      }
      // Where the version goes: replace `1` or `latest`, put it before a variant, or add a tag.
      let start: number;
      let end: number;
      let newText: string;
      let newTag: string;
      if (base.tagStart === undefined) {
        start = end = base.repositoryEnd;
        newText = `:${required}`;
        newTag = required;
      } else if (version !== undefined) {
        start = base.tagStart;
        end = start + version.length;
        newText = required;
        newTag = required + (variant !== undefined ? `-${variant}` : '');
      } else if (variant === 'latest') {
        start = base.tagStart;
        end = start + variant.length;
        newText = required;
        newTag = required;
      } else if (variant !== undefined && VARIANT.test(variant)) {
        // A supported Go is built on the current distribution releases only: an old one named
        // in the tag (`alpine3.10`, `buster`) would make a tag that does not exist.
        if (raised && OLD_DISTRIBUTION.test(variant)) {
          report({
            range: base.range,
            ...message,
            detail:
              `${problem} Pin it to Go ${required}, ${source}, on a current ` +
              `${variant.startsWith('alpine') ? 'Alpine' : 'Debian'} release ` +
              `(golang:${required}-${variant.startsWith('alpine') ? 'alpine' : 'bookworm'}).`,
          });
          continue;
        }
        start = end = base.tagStart;
        newText = `${required}-`;
        newTag = `${required}-${variant}`;
      } else {
        report({
          range: base.range,
          ...message,
          detail: `${problem} Pin it to Go ${required}, ${source}.`,
        });
        continue;
      }
      const repository = image.slice(0, base.repositoryEnd);
      const pinned = `${repository}:${newTag}`;
      const edit = golangTagEdit(model, base, start, end, newText, version === undefined);
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
