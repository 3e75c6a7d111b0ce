/**
 * The shapes of the stage model: the stages with their resolved bases, WORKDIR and environment
 * as they evolve, the go commands in RUN instructions and the files they write, COPY edges, and
 * the start command. Built by model.ts, read by every fact and rule.
 */
import type { Dockerfile, Flag, From, Instruction } from 'dockerfile-ast';
import type { ImageFacts, ImageReference } from './images';
import type { EnvValue, GoInvocation, ModuleInfo } from './go-invocation';
import type { SimpleCommand } from './shell';
import type { GoCallRef, StageFs } from './filesystem';
import type { GoMod } from './gomod';
import type { ContextIndex } from './context-index';
import type { LineIndex } from '../text/line-index';
import type { AnalyzeOptions, Range } from '../types';

/** A word of an instruction with its place in the document. */
export interface Located {
  text: string;
  range: Range;
}

export interface ArgDeclaration {
  name: string;
  /** The default as written (quotes removed), or undefined when there is none. */
  defaultValue?: string;
  instruction: Instruction;
  nameRange: Range;
  /** Range of `NAME=default` (or `NAME`) in the document. */
  range: Range;
}

/** A go command of a RUN with the environment and directory it runs in. */
export interface GoCommandRef {
  run: RunInfo;
  /** Position of the command among the RUN's simple commands. */
  commandIndex: number;
  invocation: GoInvocation;
  /** For build, install and run: what it writes. */
  call?: GoCall;
}

/** A go command found in a RUN, with what it writes and the state it runs in. */
export interface GoCall extends GoCallRef {
  run: RunInfo;
  /** Position of the command among the RUN's simple commands. */
  commandIndex: number;
}

/** A RUN's `--mount=...,from=<stage or image>`, resolved by the model. */
export interface MountFrom {
  flag: Flag;
  /** As written. */
  raw: string;
  range: Range;
  /** After ARG/ENV substitution, unresolved references kept as written. */
  value: string;
  /** The substitution resolved every variable. */
  complete: boolean;
  /**
   * The stage of that name (the first, wherever it is in the file): BuildKit looks a mount's
   * `from` up by name only, never as an index. Undefined for an image or a dynamic reference.
   */
  stage?: Stage;
}

export interface RunInfo {
  instruction: Instruction;
  /** Exec form (`RUN ["go", "build"]`). */
  exec: boolean;
  /** The script the shell runs (for shell form and shell heredocs). */
  script?: string;
  heredoc: boolean;
  /**
   * Every simple command the RUN executes, in the order they appear in its text (commands inside
   * `sh -c '...'` follow the `sh` command itself).
   */
  commands: SimpleCommand[];
  /** The directory each of `commands` runs in (after the `cd`s before it), when known. */
  commandCwds: (string | undefined)[];
  mounts: Flag[];
  /** The mounts that name a stage or an image. */
  mountFroms: MountFrom[];
  /** Environment at the start of the RUN (ENV, ARG). */
  env: ReadonlyMap<string, EnvValue>;
  cwd: string | undefined;
}

export type CopySource = {
  /** The path as written (variables expanded where possible). */
  text: string;
  /** The argument as written. */
  raw: string;
  range: Range;
  /** Written as a JSON string (its range includes the quotes). */
  json: boolean;
  /**
   * What an ADD fetches from elsewhere instead of the build context: a file at a URL (`url`) or a
   * git repository (`git`). Absent for a context path.
   */
  remote?: 'url' | 'git';
};

export type CopyFrom =
  | { kind: 'stage'; stage: Stage }
  | { kind: 'later-stage'; stage: Stage }
  | { kind: 'index-out-of-range'; index: number }
  | { kind: 'image'; reference: string }
  | { kind: 'unknown'; name: string }
  | { kind: 'dynamic' };

export interface CopyInfo {
  instruction: Instruction;
  keyword: 'COPY' | 'ADD';
  from?: { raw: string; value: string; range: Range; target: CopyFrom };
  sources: CopySource[];
  destination?: { raw: string; path?: string; range: Range; directory: boolean };
  heredoc: boolean;
  /** The `--exclude` patterns (Dockerfile syntax 1.19+): what the copy leaves out. */
  excludes: string[];
}

/** A CMD, ENTRYPOINT or HEALTHCHECK CMD command. */
export interface StartCommand {
  instruction: Instruction;
  keyword: 'CMD' | 'ENTRYPOINT' | 'HEALTHCHECK';
  /** The argument vector in exec form, with each string's range. */
  exec?: Located[];
  /** The command text in shell form. */
  shell?: string;
  /** Range of the command (after HEALTHCHECK's options and `CMD`). */
  range: Range;
}

export interface Stage {
  index: number;
  /** The `AS` name as written. */
  name?: string;
  nameRange?: Range;
  from: From;
  instructions: Instruction[];
  /** The base as written (`golang:${GO_VERSION}-alpine`). */
  baseText?: string;
  baseRange?: Range;
  /** The base after ARG substitution, when that is complete. */
  base?: ImageReference;
  /** The earlier stage this one is built on (`FROM build AS test`). */
  parent?: Stage;
  /** Facts of the external image at the root of the parent chain. */
  facts: ImageFacts;
  platform?: Located;
  hasShell: boolean | undefined;
  /** A SHELL instruction in this stage or its parents. */
  shellInstruction?: Instruction;
  /** The stage's own ARG declarations, in order. */
  args: ArgDeclaration[];
  /**
   * The ARGs declared in the stages this one is built on (`FROM build AS test`), each name's last
   * declaration: BuildKit starts a stage from its parent's state, ARG values included, so they
   * are in force from the FROM on (see argInForce).
   */
  inheritedArgs: ReadonlyMap<string, ArgDeclaration>;
  /** ARG values in force at the end of the stage, inherited ones included. */
  argsAtEnd: ReadonlyMap<string, EnvValue>;
  /** ENV and ARG values in force at the end of the stage. */
  scopeAtEnd: Map<string, EnvValue>;
  /** ENV only (what a child stage inherits). */
  envAtEnd: Map<string, EnvValue>;
  workdirAtEnd: string | undefined;
  runs: RunInfo[];
  goCalls: GoCall[];
  /**
   * Every go command the stage's RUNs execute, whatever the subcommand (`go mod download`,
   * `go get`, `go env -w`, ...), in order; build, install and run ones carry their GoCall.
   */
  goCommands: GoCommandRef[];
  copies: CopyInfo[];
  fs: StageFs;
  /** Packages installed with apk/apt in this stage or its parents. */
  packages: Set<string>;
  /** `go env -w` settings in force at the end of the stage. */
  goEnv: Map<string, string>;
  module: ModuleInfo;
  cmd?: StartCommand;
  entrypoint?: StartCommand;
  healthcheck?: StartCommand;
  /** The last USER, in this stage or inherited. */
  user?: { value: string; instruction: Instruction };
  /** Stages that use this one (`FROM`, `COPY --from`, `RUN --mount=from=`). */
  usedBy: Set<number>;
}

export interface DockerfileModel {
  text: string;
  index: LineIndex;
  dockerfile: Dockerfile;
  escapeChar: string;
  /** Top-level instructions in order. */
  instructions: Instruction[];
  globalArgs: ArgDeclaration[];
  globalScope: Map<string, string | null>;
  stages: Stage[];
  finalStage?: Stage;
  goMod?: GoMod;
  context?: ContextIndex;
  options: AnalyzeOptions;
}
