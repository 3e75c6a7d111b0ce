/**
 * The shapes the parts of the conversion hand to each other: what moves to the runtime stage,
 * the binaries it receives, its user, and everything it is written from.
 */
import type { Instruction } from 'dockerfile-ast';

export interface MovedInstruction {
  instruction: Instruction;
  /** The text for the runtime stage (with the comments above it). */
  text: string;
  /** Also stays in the build stage (it affects the build). */
  keepInBuild: boolean;
}

export interface RuntimePart {
  moved: MovedInstruction[];
  /** Programs the start commands run that were copied into the image (`ADD …/tini /tini`). */
  startedFiles: string[];
  usesCurl: boolean;
  usesWget: boolean;
  usesBash: boolean;
  /** The final stage has a USER instruction (moved to the runtime). */
  hasUser: boolean;
  /** Packages the runtime installs because the program may need them (alpine or Debian). */
  packages: string[];
  /** The original image installed tzdata: the runtime needs zoneinfo too. */
  tzdata: boolean;
}

/** A binary (or another program) the runtime receives from the build stage. */
export interface CarriedBinary {
  /** Where it is at the end of the build stage. */
  from: string;
  /** Where the runtime has it. */
  to: string;
}

/** Everything the runtime stage is written from. */
export interface RuntimeLayout {
  buildStage: string;
  binaries: CarriedBinary[];
  files: RuntimeFiles;
  user: UserPlan;
  /** The runtime's PATH, when a carried program is started by name from a directory not on it. */
  path?: string;
  /** Copy /tmp from the build stage (scratch has none, and the program writes temporary files). */
  tmp: boolean;
  /** Time zone data for scratch: how the program gets it. */
  zoneinfo?: 'system' | 'go-zip';
}

export interface UserPlan {
  /** Lines that create the user (`RUN adduser …`), before anything is copied. */
  setup?: string[];
  /** The USER line placed before WORKDIR, so that the working directory is the user's. */
  early?: string;
  /** The USER line placed where the original's last USER was, or before the start command. */
  late?: string;
  /** The owner of the files copied into the working directory (COPY --chown). */
  chown?: string;
}

export interface OptionalFile {
  path: string;
  /** Where the program reads it (`os.ReadFile in main.go:9`). */
  where: string;
  /** Read as a folder (`http.Dir("assets")`, `os.ReadDir`): its contents land in it. */
  directory?: boolean;
  /** The line of the RUN that may make it, when that is why it may be there. */
  madeByLine?: number;
}

export interface RuntimeFiles {
  /** Absolute paths copied from the build stage to the same path (deepest duplicates removed). */
  paths: string[];
  /**
   * The context is unknown: the whole working directory is copied, without these patterns
   * (`COPY --exclude`, Dockerfile syntax 1.19+).
   */
  workdirExcluding?: string[];
  /**
   * Files the program reads that the context does not hold now (untracked, generated before
   * the build), or that a RUN the model cannot follow may make (`RUN make assets`): copied when
   * they are there at build time (a glob, which may match nothing).
   */
  optional: OptionalFile[];
  /** What the notes say about how the files were found. */
  how: string;
}
