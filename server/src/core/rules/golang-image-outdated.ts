// Catches a build on a golang image whose Go release no longer gets security fixes (or is behind
// its release line's newest patch): Go links the standard library into the binary it builds, so
// the builder's Go release decides which security fixes the shipped program has.
import {
  GO_RELEASE_DATA,
  goVersionStatus,
  supportedGoLines,
  type GoReleaseLine,
} from '../data/go-releases';
import { golangBases, imageGoUse, type GolangBase } from '../facts/golang-bases';
import { golangTagEdit, type TagEdit } from '../edits/golang-tag';
import { argDeclarationAt, sourceRange } from '../facts/base-image-trace';
import type { DockerfileModel, Stage } from '../model/model';
import { goCommands } from '../facts/go-commands';
import { mayBeInModule } from '../facts/module-sources';
import { stageChain } from '../facts/start';
import type { Fix, Range } from '../types';
import type { Report, Rule } from './rule';
import { oneBasedLine } from '../text/line-index';

/** The ARG whose default spells the Go version of the tag, if it is written there. */
function versionArg(model: DockerfileModel, base: GolangBase, version: string) {
  if (base.tagStart === undefined) return undefined;
  const range = sourceRange(model, base.traced, base.tagStart, base.tagStart + version.length);
  return range ? argDeclarationAt(model, model.index.offsetAt(range.start)) : undefined;
}

/** Tag variants that exist for every Go release the fix could move to. */
function variantKept(variant: string | undefined): boolean {
  return variant === undefined || variant === 'alpine';
}

/** Line numbers as prose: `11 and 34`, `3, 9 and 20`. */
function listed(lines: number[]): string {
  return lines.length === 1
    ? `${lines[0]}`
    : `${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`;
}

/** Message data still written to: the FROMs read after the first are added to `where`. */
type Data = Record<string, string | number>;

/**
 * The fix moving a golang base's tag (or the ARG default spelling it) to Go `target`. An ARG
 * default's edit is made once per target (making it reads every stage), kept in `argEdits`.
 */
function versionFixes(
  model: DockerfileModel,
  base: GolangBase,
  version: string,
  target: string,
  argEdits: Map<string, TagEdit>,
  arg: { range: Range } | undefined,
): Fix[] {
  if (!variantKept(base.variant) || base.tagStart === undefined) return [];
  const start = base.tagStart;
  const key =
    arg && base.reference.digest === undefined
      ? `${model.index.offsetAt(arg.range.start)} ${target}`
      : undefined;
  const edit =
    (key !== undefined ? argEdits.get(key) : undefined) ??
    golangTagEdit(model, base, start, start + version.length, target, false);
  if (key !== undefined) argEdits.set(key, edit);
  if (!edit.ok) return [];
  const image = base.traced.value;
  const newImage = image.slice(0, start) + target + image.slice(start + version.length);
  return [
    {
      title: edit.arg ? `Set ARG ${edit.arg.name} to Go ${target}` : `Use ${newImage}`,
      kind: 'quickfix',
      isPreferred: true,
      // A newer Go builds a different binary: never applied without a look.
      safe: false,
      edits: [edit.edit],
    },
  ];
}

/**
 * Whether the Go a stage was written for (before 1.16, when module mode became the default)
 * builds in GOPATH mode: every go build, install or get of the stage (and of those built on it)
 * runs outside any module with GO111MODULE unset. A newer Go fails there ("go.mod file not
 * found"), so moving the tag alone breaks the build.
 */
function buildsInGopathMode(model: DockerfileModel, stage: Stage, version: string): boolean {
  const minor = /^1\.(\d+)/.exec(version);
  if (!minor || Number(minor[1]) >= 16) return false;
  const commands = model.stages
    .filter((s) => stageChain(s).includes(stage))
    .flatMap((s) => goCommands(s))
    .filter((c) => ['build', 'install', 'get'].includes(c.invocation.subcommand ?? ''));
  return (
    commands.length > 0 &&
    commands.every((c) => c.invocation.env.get('GO111MODULE') === undefined && !mayBeInModule(c))
  );
}

type MessageId = 'outOfSupport' | 'outOfSupportGopath' | 'prerelease' | 'oldPatch';

export const golangImageOutdated: Rule<MessageId> = {
  meta: {
    id: 'golang-image-outdated',
    description:
      'A build stage on a golang image whose Go release is out of support or behind its newest patch.',
    defaultSeverity: 'warning',
    fixable: true,
    messages: {
      outOfSupport:
        'Go {{version}} has been out of support since {{ended}}: build with a supported Go.',
      outOfSupportGopath:
        'Go {{version}} has been out of support since {{ended}}: build with a supported Go.',
      prerelease: 'Go {{version}} is a pre-release: Go {{latest}} is out.',
      oldPatch: 'Go {{version}} is behind Go {{latest}}, the newest patch of its release.',
    },
    details: {
      outOfSupport:
        'Go {{version}} ({{where}}) has been out of support since {{ended}}: the binaries built with it carry a standard library without later security fixes. Build with a supported Go, {{newer}} or {{older}} ({{asOf}}).',
      outOfSupportGopath:
        'Go {{version}} ({{where}}) has been out of support since {{ended}}: the binaries built with it carry a standard library without later security fixes. Build with a supported Go, {{newer}} or {{older}} ({{asOf}}). This build runs outside any module (no go.mod reaches its go commands), in GOPATH mode, which Go 1.16 and later use only with GO111MODULE=off: add a go.mod first (`go mod init`), or set GO111MODULE=off, so no fix changes the tag alone.',
      prerelease:
        'Go {{version}} ({{where}}) is a pre-release of Go {{minor}}, and Go {{latest}}{{date}} is out with later fixes ({{asOf}}).',
      oldPatch:
        "Go {{version}} ({{where}}) is behind Go {{latest}}{{date}}, and the binaries built with it lack that release's fixes ({{asOf}}).",
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const supported = supportedGoLines();
    if (supported.length < 2) return;
    const asOf = `Go release data of ${GO_RELEASE_DATA.date}`;
    // An ARG default that spells the version of many stages is one finding, on the first FROM
    // that reads it, with one edit; its detail names the other FROMs.
    const byArg = new Map<string, { where: string; lines: number[]; data: Data }>();
    const argEdits = new Map<string, TagEdit>();
    const found: Parameters<Report<MessageId>>[0][] = [];
    for (const base of golangBases(model)) {
      const version = base.version;
      if (version === undefined || base.tagStart === undefined) continue;
      const status = goVersionStatus(version);
      if (status.kind !== 'unsupported' && status.kind !== 'old-patch') continue;
      if (imageGoUse(model, base) !== 'ships') continue;
      // A digest pins one image; only an exact version in its tag says which Go that image has.
      const exact = /^\d+\.\d+\.\d+$|rc|beta/.test(version);
      if (base.reference.digest !== undefined && status.kind === 'old-patch' && !exact) continue;

      const image = base.traced.value;
      const arg = versionArg(model, base, version);
      const where = arg
        ? `${image}, from the default of ARG ${arg.name} on line ${oneBasedLine(arg.range)}`
        : image;
      const key =
        arg && base.reference.digest === undefined
          ? `${model.index.offsetAt(arg.range.start)} ${version} ${image}`
          : undefined;
      const shared = key === undefined ? undefined : byArg.get(key);
      if (shared) {
        shared.lines.push(oneBasedLine(base.range));
        continue;
      }
      let messageId: MessageId;
      let data: Data;
      let target: string;
      if (status.kind === 'unsupported') {
        const newest: GoReleaseLine = supported[0];
        messageId = buildsInGopathMode(model, base.stage, version)
          ? 'outOfSupportGopath'
          : 'outOfSupport';
        data = {
          version,
          where,
          ended: status.endedBy.released,
          newer: supported[0].minor,
          older: supported[1].minor,
          asOf,
        };
        target = version.split('.').length === 3 ? newest.latest : newest.minor;
      } else {
        const line = status.line;
        const date = line.latestDate ? ` (${line.latestDate})` : '';
        messageId = status.prerelease ? 'prerelease' : 'oldPatch';
        data = { version, where, minor: line.minor, latest: line.latest, date, asOf };
        target = line.latest;
      }
      if (key !== undefined) byArg.set(key, { where, lines: [oneBasedLine(base.range)], data });
      const fixes =
        messageId === 'outOfSupportGopath'
          ? []
          : versionFixes(model, base, version, target, argEdits, arg);
      found.push({
        range: base.range,
        messageId,
        data,
        fixes,
        severity: status.kind === 'old-patch' ? 'info' : undefined,
      });
    }
    // Reported once all the FROMs are read: a later one reading the same ARG is named in the data.
    for (const shared of byArg.values()) {
      if (shared.lines.length > 1) {
        shared.data.where = `${shared.where}, which the FROMs on lines ${listed(shared.lines)} read`;
      }
    }
    for (const finding of found) report(finding);
  },
};
