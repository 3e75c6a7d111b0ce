/**
 * Whether a stage has the Go toolchain: its image is a Go toolchain image (`golang`,
 * `cgr.dev/chainguard/go`), or it, or a stage it is built on, copies the toolchain of the
 * official golang image in (`COPY --from=golang:1.24-alpine /usr/local/go/ /usr/local/go/`, or
 * from a stage built on golang), so that `go` and `make` run there as in a golang stage.
 * Cached per stage.
 */
import { parseImageReference, splitGoTag, type ImageReference } from '../model/images';
import type { CopyInfo, Stage } from '../model/model';
import { chainFact, rootStage } from './stage-tree';
import { isWithin, resolve } from '../text/posix-path';

// Repositories of the official image on Docker Hub and on its usual mirrors
// (`mirror.gcr.io/golang`, `public.ecr.aws/docker/library/golang`).
const OFFICIAL_REPOSITORIES = new Set(['golang', 'library/golang', 'docker/library/golang']);

/** True for the official golang image, from Docker Hub or a mirror of it. */
export function isOfficialGolang(reference: ImageReference): boolean {
  return OFFICIAL_REPOSITORIES.has(reference.repository);
}

// Where the official images install Go: its GOROOT, which the go command finds from its own path.
const GOROOT = '/usr/local/go';

/** A Go toolchain a stage receives by COPY from a golang image or a stage built on one. */
export interface CopiedToolchain {
  /** The stage whose COPY brings the toolchain (the stage itself or one it is built on). */
  stage: Stage;
  copy: CopyInfo;
  /** The image named by `--from` (`golang:1.24-alpine`), when the toolchain comes from one. */
  image?: ImageReference;
  /** The stage named by `--from`, when the toolchain comes from one. */
  fromStage?: Stage;
  /** The Go version the golang tag names (`1.24`, `1.24.3`), when it names one. */
  version?: string;
  /**
   * Where the toolchain was first named: the COPY whose `--from` is the golang image, or the
   * stage whose FROM is (copies from stage to stage pass it on).
   */
  origin: CopyInfo | Stage;
}

/** Whether a COPY source is the toolchain's directory or a directory that holds it. */
function copiesGoRoot(copy: CopyInfo): boolean {
  return copy.sources.some((source) => {
    if (source.text.includes('$') || /[*?[]/.test(source.text)) return false;
    const path = resolve('/', source.text);
    return path !== '/' && isWithin(GOROOT, path);
  });
}

/** The toolchain a COPY brings in, when it copies GOROOT from a golang image or golang stage. */
function toolchainOf(stage: Stage, copy: CopyInfo): CopiedToolchain | undefined {
  const target = copy.from?.target;
  if (!target || !copiesGoRoot(copy)) return undefined;
  if (target.kind === 'image') {
    const image = parseImageReference(target.reference);
    if (!isOfficialGolang(image)) return undefined;
    const version = image.tag !== undefined ? splitGoTag(image.tag).version : undefined;
    return { stage, copy, image, version, origin: copy };
  }
  if (target.kind !== 'stage') return undefined;
  // A stage that got its toolchain by COPY passes that one on.
  const copied = copiedGoToolchain(target.stage);
  if (copied) return { ...copied, stage, copy, fromStage: target.stage };
  const root = rootStage(target.stage);
  if (!root.base || !isOfficialGolang(root.base)) return undefined;
  const version = root.base.tag !== undefined ? splitGoTag(root.base.tag).version : undefined;
  return { stage, copy, fromStage: target.stage, version, origin: root };
}

/** The toolchains a stage's own COPY instructions bring in, in order. */
export function ownCopiedToolchains(stage: Stage): CopiedToolchain[] {
  return stage.copies.flatMap((copy) => toolchainOf(stage, copy) ?? []);
}

/**
 * The Go toolchain a stage has by COPY (its own, else the nearest stage it is built on): the last
 * COPY that brings GOROOT from the official golang image or a stage that has it. Undefined when
 * the toolchain comes with the base image, or there is none.
 */
export const copiedGoToolchain: (stage: Stage) => CopiedToolchain | undefined = chainFact<
  CopiedToolchain | undefined
>((stage, inherited) => {
  return ownCopiedToolchains(stage).at(-1) ?? inherited;
});

/**
 * The stage can run the go command: its image is a Go toolchain image, or the official golang
 * image's toolchain is copied into it or a stage it is built on.
 */
export function hasGoToolchain(stage: Stage): boolean {
  return rootStage(stage).facts.goToolchain || copiedGoToolchain(stage) !== undefined;
}
