/**
 * The official golang images a Dockerfile builds on: which stages name one in their FROM (after
 * ARG substitution) or copy its toolchain in from one (`COPY --from=golang:1.24 /usr/local/go
 * /usr/local/go`), the Go version and variant their tag selects, what the stage compiles with
 * that Go, and Go's own version order. Computed on each call from the stages' image facts.
 */
import { KeyedCache } from '../keyed-cache';
import type { CopyInfo, DockerfileModel, GoCall, Stage } from '../model/model';
import { splitGoTag, type ImageReference } from '../model/images';
import { programName } from '../model/shell';
import { developmentImage, toolchainStart } from './dev-image';
import { BUILD_TOOLS } from './build-tools';
import { LIVE_RELOAD_TOOLS } from '../data/live-reload-tools';
import { runTarget, startProgram } from './start';
import { startScript } from './start-script';
import type { Range } from '../types';
import { traceBaseImage, traceCopyFrom, type TracedText } from './base-image-trace';
import { copiedGoToolchain, isOfficialGolang, ownCopiedToolchains } from './go-toolchain';
import { perKey } from './memo';
import { rootStage, stageTree } from './stage-tree';
import { stagesReceiving } from './go-platform';
import { mountedBuilds } from './carriers';
import { shippedStages } from './builds';
import { matchSegment } from '../text/glob';
import { join, resolve } from '../text/posix-path';

/**
 * A stage whose FROM names the official golang image (not a stage built on one), or a COPY that
 * brings the toolchain of a golang image it names in `--from` into a stage.
 */
export interface GolangBase {
  /** The stage on the image, or the stage the COPY brings the toolchain into. */
  stage: Stage;
  /** Range of the image in the FROM line, or of the `--from` value. */
  range: Range;
  /** The COPY, when the image is the `--from` of a COPY of its toolchain. */
  copy?: CopyInfo;
  reference: ImageReference;
  /** The expanded image text, traced to the document. */
  traced: TracedText;
  /** Offset in `traced.value` where the repository ends (the `:` of the tag, or the end). */
  repositoryEnd: number;
  /** Offset in `traced.value` where the tag starts (after `:`), when there is a tag. */
  tagStart?: number;
  /** The Go version the tag names (`1.22`, `1.22.3`, `1.25rc2`, `1`), when it names one. */
  version?: string;
  /** The tag after the version (`alpine3.20`, `bookworm`), or the whole tag without a version. */
  variant?: string;
}

export { isOfficialGolang };

/** A golang base from the image text and where it is written. */
function golangBase(stage: Stage, range: Range, reference: ImageReference, traced: TracedText) {
  const text = traced.value;
  const at = text.indexOf('@');
  const beforeDigest = at < 0 ? text.length : at;
  const colon = text.indexOf(':', text.lastIndexOf('/', beforeDigest) + 1);
  const hasTag = colon >= 0 && colon < beforeDigest;
  const base: GolangBase = {
    stage,
    range,
    reference,
    traced,
    repositoryEnd: hasTag ? colon : beforeDigest,
  };
  if (hasTag) {
    base.tagStart = colon + 1;
    Object.assign(base, splitGoTag(text.slice(colon + 1, beforeDigest)));
  }
  return base;
}

/**
 * The stages whose FROM names the official golang image with a fully resolved reference, then the
 * COPY instructions that bring the toolchain of a golang image named in `--from`. Stages built on
 * another stage (`FROM build AS test`) are not listed: their image is their parent's; nor are
 * copies from a golang stage: that stage's FROM is listed.
 */
export const golangBases: (model: DockerfileModel) => GolangBase[] = perKey((model) => {
  const result: GolangBase[] = [];
  for (const stage of model.stages) {
    if (stage.parent || !stage.base || !stage.baseRange || !isOfficialGolang(stage.base)) continue;
    const traced = traceBaseImage(model, stage);
    if (!traced || !traced.complete) continue;
    result.push(golangBase(stage, stage.baseRange, stage.base, traced));
  }
  for (const stage of model.stages) {
    for (const { copy, image } of ownCopiedToolchains(stage)) {
      if (!image || !copy.from) continue;
      const base = golangBase(stage, copy.from.range, image, traceCopyFrom(model, copy.from));
      result.push({ ...base, copy });
    }
  }
  return result;
});

/**
 * The stages that work with a golang base's Go: the stage and the stages built on it, and the
 * stages that copy that toolchain from one of them (`COPY --from=build /usr/local/go …`), with
 * the stages built on those.
 */
export function toolchainFamily(model: DockerfileModel, base: GolangBase): Stage[] {
  const origin = base.copy ?? base.stage;
  const family = new Set(stageFamily(model, base.stage));
  for (const stage of toolchainCopiers(model).get(origin) ?? []) {
    if (family.has(stage)) continue;
    for (const s of stageFamily(model, stage)) family.add(s);
  }
  return [...family];
}

/** The stages that copy a Go toolchain themselves, by where it came from (one pass per model). */
function toolchainCopiers(model: DockerfileModel): Map<CopyInfo | Stage, Stage[]> {
  return copiers.ensure(model, () => {
    const byOrigin = new Map<CopyInfo | Stage, Stage[]>();
    for (const stage of model.stages) {
      const copied = copiedGoToolchain(stage);
      if (copied?.stage !== stage) continue;
      const list = byOrigin.get(copied.origin);
      if (list) list.push(stage);
      else byOrigin.set(copied.origin, [stage]);
    }
    return byOrigin;
  });
}

const copiers = new KeyedCache<DockerfileModel, Map<CopyInfo | Stage, Stage[]>>();

/**
 * Orders Go versions as the go command does (go/version): `1.22` (a language version) sorts
 * before `1.22rc1`, which sorts before `1.22.0`, then `1.22.1`. Returns a sort key; components
 * missing from a floating image tag are filled with `Infinity` by `imageVersionKey`.
 */
function versionKey(version: string): number[] | undefined {
  const match = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(beta|rc)(\d+))?$/.exec(version);
  if (!match) return undefined;
  const [, major, minor, patch, pre, preNumber] = match;
  if (pre !== undefined) {
    return [Number(major), Number(minor ?? 0), pre === 'beta' ? 1 : 2, Number(preNumber)];
  }
  if (patch !== undefined) return [Number(major), Number(minor ?? 0), 3, Number(patch)];
  if (minor !== undefined) return [Number(major), Number(minor), 0, 0];
  return [Number(major), 0, 0, 0];
}

/**
 * The newest Go version an image tag can hold: `1.22.3` and `1.25rc2` are exact, `1.22` is the
 * newest 1.22 patch, `1` the newest 1.x release.
 */
function imageVersionKey(version: string): number[] | undefined {
  const key = versionKey(version);
  if (!key) return undefined;
  if (/rc|beta/.test(version) || version.split('.').length === 3) return key;
  if (version.split('.').length === 2) return [key[0], key[1], 3, Infinity];
  return [key[0], Infinity, Infinity, Infinity];
}

/**
 * Whether a golang image whose tag names `imageVersion` runs a Go older than `required` (a
 * go.mod `go` line); undefined when either version cannot be read.
 */
export function imageOlderThan(imageVersion: string, required: string): boolean | undefined {
  const image = imageVersionKey(imageVersion);
  const needed = versionKey(required);
  if (!image || !needed) return undefined;
  for (let i = 0; i < image.length; i++) {
    if (image[i] !== needed[i]) return image[i] < needed[i];
  }
  return false;
}

/** The Go minor release of a version (`1.22.3` → [1, 22]). */
export function goMinor(version: string): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** The stages built on a stage through `FROM <stage>`, the stage itself first. */
export function stageFamily(model: DockerfileModel, stage: Stage): Stage[] {
  return stageTree(model.stages).descendants(stage);
}

// Scripts named for building (`./build.sh`, `scripts/build-linux.sh`).
const BUILD_SCRIPT = /(^|\/)build[\w.-]*\.sh$/;

// go subcommands that compile with the toolchain (vet type-checks with it).
const COMPILING = new Set(['build', 'install', 'run', 'test', 'vet']);

function usesImageGo(env: ReadonlyMap<string, string | null>): boolean {
  const toolchain = env.get('GOTOOLCHAIN');
  return toolchain === undefined || toolchain === 'local' || toolchain === 'path';
}

// Tools that build Go programs by running the go command they find (`xk6 build` makes a k6
// binary): what they build is compiled by the image's Go, like a build script's output.
const GO_DRIVERS = new Set(['xk6', 'goreleaser', 'garble', 'gox', 'xgo', 'ko']);

/** Whether a RUN starts `make` (mage, task, just), a build script or a Go build driver. */
function runsBuildTool(run: Stage['runs'][number]): boolean {
  return run.commands.some((command) => {
    const name = programName(command.words[0]);
    return (
      name !== undefined &&
      (BUILD_TOOLS.has(name) || GO_DRIVERS.has(name) || BUILD_SCRIPT.test(command.words[0].text))
    );
  });
}

// Programs that may keep a file of a mount in the image (`cp /mnt/tool /usr/local/bin/`).
const KEEPERS = new Set(['cp', 'mv', 'install', 'rsync', 'tar', 'cpio', 'ln', 'cat', 'dd']);

/**
 * Whether the binary of a `go install tool@version` may leave its stage: a stage built on it
 * inherits it, or another stage copies it. A stage that others take other files from (CA
 * certificates, downloaded binaries), or that lends the tool to other stages' RUNs through a
 * mount, keeps a tool that only runs during the build.
 */
function toolLeaves(model: DockerfileModel, stage: Stage, call: GoCall): boolean {
  // The image ships the tool as its program (`RUN go install x@latest`, `CMD ["x"]`); a tool a
  // development image runs for its sources (`dlv debug`) is not what it is for.
  if (
    runTarget(stage)?.call === call &&
    developmentImage(stage) === undefined &&
    (stage === model.finalStage || shippedStages(model).some((s) => s.stage === stage))
  ) {
    return true;
  }
  // The stage's descendants start with the stage itself.
  if (stageTree(model.stages).descendants(stage).length > 1) return true;
  // Another stage that holds the binary (copied, or copied out of a mount); one that only
  // mounts it into a RUN runs it there and keeps nothing of it (a checker, a generator).
  const holds = (other: Stage) =>
    other.fs.goBinaries().some((b) => b.binary.call === call) ||
    mountedBuilds(model, other).some(
      (m) =>
        m.call === call && m.run.commands.some((c) => KEEPERS.has(programName(c.words[0]) ?? '')),
    );
  if (stagesReceiving(model, call).some(holds)) return true;
  // What the filesystem model does not follow (a folder above the tool, a glob, a variable):
  // a `COPY --from` of this stage whose source may take the tool's path.
  const output = call.output;
  const paths =
    output.kind === 'file'
      ? [output.path]
      : output.kind === 'dir' && output.names
        ? output.names.map((name) => join(output.path, name))
        : undefined;
  return model.stages.some((other) =>
    other.copies.some(
      (copy) =>
        copy.from?.target.kind === 'stage' &&
        copy.from.target.stage === stage &&
        copy.sources.some((source) => !paths || paths.some((path) => mayTake(source.text, path))),
    ),
  );
}

/**
 * Whether a `COPY --from` source (a path from the stage's root) may take `path`: the path itself,
 * a folder above it, or a glob matching one of them; one with a variable left may take anything.
 */
function mayTake(source: string, path: string): boolean {
  if (source.includes('$')) return true;
  const from = resolve('/', source).split('/').filter(Boolean);
  const to = path.split('/').filter(Boolean);
  return from.length <= to.length && from.every((part, i) => matchSegment(part, to[i]));
}

/** What a golang stage does with the image's own Go: see imageGoUse. */
export type ImageGoUse = 'ships' | 'compiles';

/**
 * What a stage on a golang image, with the stages built on it and those that copy its toolchain
 * (toolchainFamily), compiles with the image's own Go
 * (GOTOOLCHAIN left at the images' `local`; another value, or one set from a build argument, may
 * switch to a downloaded toolchain, which the Dockerfile does not show):
 *
 * - `ships`: it builds what ships: `go build`, `go install`, and two kinds only where what they
 *   build may leave the stage: `go install tool@version` when another stage takes the tool or is
 *   built on its stage (elsewhere it equips a development or CI image, or serves the stage's own
 *   RUNs), and `make` or a build script in a stage another stage takes files from (elsewhere it
 *   may as well run the tests or linters);
 * - `compiles`: it compiles for its own use only: tests, vet, tools, `go run`, or a start command
 *   that needs the toolchain (a live-reload tool, `make`);
 * - undefined: nothing, or not with the image's Go: the stage supplies files to others (CA
 *   certificates, zoneinfo.zip), downloads modules, or builds with the toolchain GOTOOLCHAIN names.
 *
 * golang-image-outdated reports the stages that ship (the Go release decides the shipped
 * program's security fixes), golang-image-unpinned those that compile at all.
 */
export function imageGoUse(model: DockerfileModel, base: GolangBase): ImageGoUse | undefined {
  let ships = false;
  let compiles = false;
  for (const stage of toolchainFamily(model, base)) {
    const used = stage.usedBy.size > 0;
    for (const call of stage.goCalls) {
      const { subcommand, env, packages } = call.invocation;
      if (subcommand !== 'build' && subcommand !== 'install') continue;
      const toolInstall =
        subcommand === 'install' &&
        packages.length > 0 &&
        packages.every((p) => p.text.includes('@'));
      if (toolInstall && !toolLeaves(model, stage, call)) continue;
      if (!usesImageGo(env)) return undefined;
      ships = true;
    }
    compiles ||= stage.goCommands.some(
      ({ invocation }) => COMPILING.has(invocation.subcommand) && usesImageGo(invocation.env),
    );
    for (const run of stage.runs) {
      if (!runsBuildTool(run)) continue;
      if (used && !ships) {
        if (!usesImageGo(run.env)) return undefined;
        ships = true;
      } else if (usesImageGo(run.env)) compiles = true;
    }
    const start = startProgram(stage);
    if (start && toolchainStart(stage, start) !== undefined) compiles = true;
    else if (start && startScriptCompiles(model, stage)) compiles = true;
  }
  return ships ? 'ships' : compiles ? 'compiles' : undefined;
}

/**
 * The start script (read from the build context) runs a go command that compiles, a build tool
 * or a build script: the container compiles with the image's Go when it starts (`CMD
 * ["/src/packaging/build.sh"]` running `make`).
 */
export function startScriptCompiles(model: DockerfileModel, stage: Stage): boolean {
  const script = startScript(model, stage);
  if (!script || !usesImageGo(stage.envAtEnd)) return false;
  return script.commands.some((command) => {
    const name = programName(command.words[0]);
    if (name === undefined || script.functions.has(name)) return false;
    if (name === 'go') return COMPILING.has(command.words[1]?.text ?? '');
    return (
      BUILD_TOOLS.has(name) ||
      GO_DRIVERS.has(name) ||
      LIVE_RELOAD_TOOLS.has(name) ||
      BUILD_SCRIPT.test(command.words[0].text)
    );
  });
}

/**
 * The Alpine release a stage's golang image names in its tag (`1.22-alpine3.19`, `alpine3.19`),
 * as [major, minor]. A tag without one (`1.22-alpine`) follows whichever release the image was
 * last rebuilt on: not known here.
 */
export function golangAlpineRelease(stage: Stage): [number, number] | undefined {
  const root = rootStage(stage);
  if (!root.base || !isOfficialGolang(root.base)) return undefined;
  const match = /^alpine(\d+)\.(\d+)$/.exec(root.facts.variant ?? '');
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}
