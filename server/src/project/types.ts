/**
 * What the build files of a project declare: one record per way a Dockerfile is built (a compose
 * service, a Bake target, a `docker build` line of a Makefile, a script or a CI job, a
 * docker/build-push-action step). The parsers of this folder are pure (text in, records out);
 * server/src/node/project-builds.ts finds the files, reads them and resolves the paths.
 */
import type { DeclaredPorts, HealthCheck, HostMounts, StartOverride } from '../core/types';

/** The kinds of file a build is declared in. */
export type BuildFileKind =
  | 'compose'
  | 'bake'
  | 'makefile'
  | 'script'
  | 'github-actions'
  | 'gitlab-ci'
  | 'taskfile'
  | 'justfile';

/** A build argument: its value, or null when it is left to a variable the file does not set. */
export interface BuildArg {
  name: string;
  value: string | null;
}

/**
 * One build as a file declares it. Paths are as written (`/` separators), relative to `cwd`,
 * itself relative to the folder `base` names. Everything the file leaves to a variable it does
 * not set is null (unknown); what it does not say is undefined (the tool's default).
 */
export interface BuildDeclaration {
  kind: BuildFileKind;
  /** Zero-based line of the declaration in its file. */
  line: number;
  /** Who declares it, in words: `service api`, `target image`, `docker build`, `job release`. */
  label: string;
  /**
   * The folder relative paths start from: the file's own folder (compose, Makefiles), the
   * repository root (CI jobs), or either (Bake files and scripts, run from one or the other).
   */
  base: 'file' | 'root' | 'file-or-root';
  /** The working directory below the base (`working-directory`, `cd dir &&`); null when unknown. */
  cwd: string | null;
  /** The build context; null when unknown (a variable, a URL, standard input). */
  context: string | null;
  /** The Dockerfile; undefined for the tool's default (`Dockerfile` in the context). */
  dockerfile: string | null | undefined;
  /** Whether `dockerfile` is relative to the context (compose, Bake) or to `cwd` (`docker build -f`). */
  dockerfileFrom: 'context' | 'cwd';
  /** The stage built (`--target`); undefined when none is named (the last stage). */
  target: string | null | undefined;
  /** The platforms built for; undefined when not said (the builder's own). */
  platforms: string[] | null | undefined;
  args: BuildArg[];
  /**
   * An image, files exported from the stage (`--output type=local`, `type=tar`), or unknown (an
   * output written with a variable or an expression the reader cannot evaluate).
   */
  output: 'image' | 'export' | 'unknown';
  /** Podman and buildah look for a `Containerfile` first when no file is named. */
  containerfileDefault?: boolean;
  /**
   * Built with Docker's classic builder (`DOCKER_BUILDKIT=0 docker build`): no `RUN --mount`,
   * no heredocs, no `# syntax=` frontend.
   */
  classic?: boolean;
  /**
   * When `dockerfile` is null because it is written with a variable the file does not set
   * (`-f $DOCKERFILE`, `-f docker/${NAME}.Dockerfile`): the word as written, its unknown parts as
   * `${NAME}`. Such a build may be of any Dockerfile whose path fits the literal parts.
   */
  dockerfilePattern?: string;
  /** What containers of the image start in place of its ENTRYPOINT or CMD (compose services). */
  runs?: StartOverride[];
  /** Who runs the image, when that says how: GitHub runs a Docker container action as root. */
  runner?: 'github-docker-action';
  /** The ports containers of the image listen on (compose services' `ports:` and `expose:`). */
  ports?: DeclaredPorts[];
  /** The health checks compose services run in containers of the image. */
  checks?: HealthCheck[];
  /** The folders of the host that compose services mount into containers of the image. */
  hostMounts?: HostMounts[];
}

/**
 * Reads a file that a build file pulls in (a script's `. FILE` or `source FILE`, a Makefile's
 * `include FILE`), by its path as written (relative to where the file runs, or starting with
 * one of the folder marks of command-line.ts); undefined when it cannot be read. The reader
 * bounds how many files, how large and how long.
 */
export type IncludeReader = (path: string) => string | undefined;

/** The result of reading one build file: its builds, or why it was skipped. */
export type ParsedBuildFile =
  { ok: true; builds: BuildDeclaration[] } | { ok: false; reason: string };
