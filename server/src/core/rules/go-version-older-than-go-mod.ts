// Catches a golang image (in a FROM, or whose toolchain a COPY brings in) whose Go is older than the
// `go` line of go.mod: the official images set GOTOOLCHAIN=local, so the go command refuses to
// build the module instead of fetching a newer Go (facts/go-version-gap.ts).
import { goVersionGaps } from '../facts/go-version-gap';
import { goPinFor, golangTagEdit, imageWithGo, raisedPinReason } from '../edits/golang-tag';
import type { DockerfileModel } from '../model/model';
import type { GoMod } from '../model/gomod';
import type { Fix } from '../types';
import { type Report, type Rule, shortImage } from './rule';

function describeImageGo(version: string): string {
  if (/rc|beta/.test(version) || version.split('.').length === 3) return `Go ${version}`;
  return `Go ${version} (its newest ${version} patch)`;
}

function goLineText(goMod: GoMod, path = 'go.mod'): string {
  const line = goMod.goLine !== undefined ? ` (line ${goMod.goLine + 1})` : '';
  return `the \`go ${goMod.go}\` line of ${path}${line}`;
}

type MessageId = 'olderThanGoMod';

export const goVersionOlderThanGoMod: Rule<MessageId> = {
  meta: {
    id: 'go-version-older-than-go-mod',
    description: "The golang image's Go version is older than the `go` line of go.mod.",
    defaultSeverity: 'error',
    fixable: true,
    messages: {
      olderThanGoMod: "{{image}} has Go {{version}}, older than {{goMod}}'s go {{required}}.",
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const gap of goVersionGaps(model)) {
      const { base, version, required, severity, consequence, goMod, goModPath } = gap;
      if (base.tagStart === undefined) continue;
      const image = base.traced.value;
      // The minor release the go line names (`go 1.25.0` → golang:1.25, which has the newest
      // patch): never older than the go line, and it follows the security releases; the oldest
      // supported release when that one is out of support (goPinFor).
      const goPin = goPinFor(required) ?? { pin: required };
      const pin = goPin.pin;
      const why = goPin.raisedFrom
        ? `, the oldest supported Go (${raisedPinReason(goPin, goModPath)})`
        : '';
      const { image: newImage, variantChanged } = imageWithGo(base, version, goPin);
      const where = base.copy ? `${image}, whose toolchain the COPY brings in,` : image;
      const data = { image: shortImage(image), version, required, goMod: goModPath ?? 'go.mod' };
      const problem = `${where} has ${describeImageGo(version)}, older than ${goLineText(goMod, goModPath)} requires: ${consequence}`;
      const fixes: Fix[] = [];
      let advice: string;
      if (variantChanged) {
        advice = ` Use ${newImage}${why}, and Go ${pin} has no ${base.variant} image.`;
      } else {
        const edit = golangTagEdit(
          model,
          base,
          base.tagStart,
          base.tagStart + version.length,
          pin,
          false,
        );
        if (edit.ok) {
          const title = edit.arg ? `Set ARG ${edit.arg.name} to Go ${pin}` : `Use ${newImage}`;
          fixes.push({ title, kind: 'quickfix', isPreferred: true, edits: [edit.edit] });
          const arg = edit.arg;
          advice = !arg
            ? ` Use ${newImage}${why}.`
            : arg.defaultValue === version
              ? ` Set the default of ARG ${arg.name} (line ${arg.range.start.line + 1}) to ${pin}${why}.`
              : ` Change the default of ARG ${arg.name} (line ${arg.range.start.line + 1}) so that the image is ${newImage}${why}.`;
        } else {
          advice = ` Use ${newImage.split('@')[0]}${why} (${edit.reason}, so change it by hand).`;
        }
      }
      report({
        range: base.range,
        messageId: 'olderThanGoMod',
        data,
        detail: problem + advice,
        fixes,
        severity: severity === 'warning' ? 'warning' : undefined,
      });
    }
  },
};
