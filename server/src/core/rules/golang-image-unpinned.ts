// Catches a golang image whose tag names no Go version (`golang`, `golang:latest`, `golang:alpine`,
// `golang:1`): each pull can bring a newer Go, so the same Dockerfile builds a different binary.
import { golangBases } from '../model/golang-image';
import { golangTagEdit } from '../model/golang-tag-edit';
import type { DockerfileModel } from '../model/model';
import type { Fix } from '../types';
import type { Report, Rule } from './rule';

// Variants of the official image that a Go version can be put in front of (`1.22-alpine3.20`).
const VARIANT =
  /^(alpine(\d+\.\d+)?|bookworm|bullseye|buster|stretch|trixie|windowsservercore(-\S+)?|nanoserver(-\S+)?)$/;

export const golangImageUnpinned: Rule = {
  meta: {
    id: 'golang-image-unpinned',
    description: 'A golang image whose tag names no Go minor version.',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'stage',
  },
  check(model: DockerfileModel, report: Report) {
    const required = model.goMod?.go;
    for (const base of golangBases(model)) {
      // A digest pins the image whatever the tag says.
      if (base.reference.digest !== undefined) continue;
      const version = base.version;
      // `1.22` floats over patch releases only, which keep compatibility: that counts as pinned.
      if (version !== undefined && version.includes('.')) continue;
      const image = base.traced.value;
      const variant = base.variant;
      const problem =
        version !== undefined
          ? `${image} only pins Go's major version: it moves to each new Go 1.x release as it comes ` +
            `out, so the same Dockerfile builds with a different compiler and standard library over time.`
          : `${image} names no Go version: it moves to each new Go release as it comes out, so the ` +
            `same Dockerfile builds with a different compiler and standard library over time.`;
      if (required === undefined) {
        report({
          range: base.range,
          message: `${problem} Pin the Go version your go.mod's \`go\` line names (golang:<version>${variant && variant !== 'latest' ? `-${variant}` : ''}).`,
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
        start = end = base.tagStart;
        newText = `${required}-`;
        newTag = `${required}-${variant}`;
      } else {
        report({
          range: base.range,
          message: `${problem} Pin it to a Go version (go.mod says ${required}).`,
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
          ? `Pin it to the go.mod version through ARG ${edit.arg.name} (line ${edit.arg.range.start.line + 1}): ${pinned}.`
          : `Pin it to the go.mod version: ${pinned}.`
        : `Pin it to the go.mod version, ${pinned} (${edit.reason}, so change it by hand).`;
      report({ range: base.range, message: `${problem} ${advice}`, fixes });
    }
  },
};
