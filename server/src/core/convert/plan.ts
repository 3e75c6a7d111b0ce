/**
 * The state of one conversion: the final stage being split, the runtime chosen so far, the edits
 * decided on, and small helpers shared by the steps (instruction casing, line endings, blocks of
 * an instruction with the comments above it).
 */
import type { Instruction } from 'dockerfile-ast';
import {
  classifyImage,
  CURRENT_DEBIAN,
  DEFAULT_RUNTIME_IMAGE,
  parseImageReference,
  type ImageFacts,
  type Libc,
} from '../model/images';
import type { DockerfileModel, Stage } from '../model/model';
import { expand } from '../model/variables';
import { detectEol } from '../text/line-index';
import { prefersLowercase } from '../edits/insert-line';
import type { TextEdit } from '../types';
import { keywordOf } from '../model/instruction-view';
import { startProgram } from '../facts/start';
export { keywordOf } from '../model/instruction-view';

/** A pinned alpine release for runtimes that need a shell. */
export const ALPINE_RUNTIME = 'alpine:3.24';

/** distroless with glibc, for binaries built with cgo. */
export const DISTROLESS_BASE = `gcr.io/distroless/base-${CURRENT_DEBIAN}:nonroot`;

/** The minimal runtime that has a C library: alpine for musl, distroless base for glibc. */
export function runtimeWithLibc(libc: Libc | undefined): string {
  return libc === 'musl' ? ALPINE_RUNTIME : DISTROLESS_BASE;
}

/** `two-stage`: build → runtime. `dev-build-runtime`: dev (tooling, modules) → build → runtime. */
export type ConvertLayout = 'two-stage' | 'dev-build-runtime';

export const CONVERT_LAYOUTS: readonly ConvertLayout[] = ['two-stage', 'dev-build-runtime'];

/** Runtime choices offered to users, by short name. */
export const RUNTIME_CHOICES: Readonly<Record<'distroless' | 'scratch' | 'alpine', string>> = {
  distroless: DEFAULT_RUNTIME_IMAGE,
  scratch: 'scratch',
  alpine: ALPINE_RUNTIME,
};

export interface ConvertOptions {
  /** The runtime base image; defaults to distroless static `:nonroot`. */
  runtimeImage?: string;
  /** The stage layout; defaults to `two-stage`. */
  layout?: ConvertLayout;
}

export type ConvertResult =
  | {
      ok: true;
      /** The whole converted Dockerfile. */
      text: string;
      /** The edits that turn the input into `text`: one replacement per changed stage. */
      edits: TextEdit[];
      runtimeImage: string;
      /** What the conversion decided and why (runtime switched, cgo kept, ...). */
      notes: string[];
    }
  | { ok: false; reason: string };

/** Instructions that describe the running image: they move to the runtime stage. */
export const RUNTIME_KEYWORDS = new Set([
  'EXPOSE',
  'USER',
  'LABEL',
  'MAINTAINER',
  'VOLUME',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'ENTRYPOINT',
  'CMD',
  'ENV',
  'ONBUILD',
]);

/** Thrown by a step that cannot go on; turned into a refusal with its reason. */
export class Refusal extends Error {}

export function runtimeFacts(image: string): ImageFacts {
  return classifyImage(parseImageReference(image));
}

/** Names of the variables a text refers to. */
export function referencedVariables(text: string): Set<string> {
  return new Set(expand(text, new Map()).names);
}

export class Plan {
  readonly eol: string;
  readonly lower: boolean;
  readonly layout: ConvertLayout;
  /** The user chose the runtime: it is never switched silently, only refused. */
  readonly explicitRuntime: boolean;
  runtimeImage: string;
  runtime: ImageFacts;
  /** What the conversion decided and why, besides the runtime's choice (see `allNotes`). */
  readonly notes: string[] = [];
  /** Comment lines written above the runtime stage, besides the runtime's choice. */
  readonly comments: string[] = [];
  /** Why the runtime is not the one asked for: only the last switch holds. */
  private runtimeSwitch?: { why: string; comment: string[] };
  /** Edits of the existing text (the build stage and its parents). */
  readonly edits: TextEdit[] = [];

  constructor(
    readonly model: DockerfileModel,
    readonly stage: Stage,
    options: ConvertOptions,
  ) {
    this.eol = detectEol(model.text);
    this.lower = prefersLowercase(model);
    this.layout = options.layout ?? 'two-stage';
    this.explicitRuntime =
      options.runtimeImage !== undefined && options.runtimeImage !== DEFAULT_RUNTIME_IMAGE;
    this.runtimeImage = options.runtimeImage ?? DEFAULT_RUNTIME_IMAGE;
    this.runtime = runtimeFacts(this.runtimeImage);
  }

  /**
   * The directory the program runs in: the WORKDIR, or where the shell-form start command
   * changes to first (`cd server && ./main`); its relative paths are read from there.
   */
  get programCwd(): string | undefined {
    const cwd = startProgram(this.stage)?.cwd;
    return cwd === undefined ? this.stage.workdirAtEnd : (cwd ?? undefined);
  }

  /** An instruction keyword in the file's own casing. */
  kw(keyword: string): string {
    return this.lower ? keyword.toLowerCase() : keyword;
  }

  /**
   * Switches the runtime (only when the user did not choose it), saying why; a later switch
   * replaces the reason of an earlier one, so that no note contradicts the image written.
   */
  switchRuntime(image: string, why: string, comment: string[]): void {
    this.runtimeImage = image;
    this.runtime = runtimeFacts(image);
    this.runtimeSwitch = { why, comment };
  }

  /** The notes, the runtime's reason first. */
  allNotes(): string[] {
    // Named at the end: the image may still change to its root tag after the switch.
    const runtime = this.runtimeSwitch
      ? [`The runtime is ${this.runtimeImage} because ${this.runtimeSwitch.why}.`]
      : [];
    return [...runtime, ...this.notes];
  }

  /** The comment lines above the runtime stage, the runtime's reason first. */
  allComments(): string[] {
    return this.runtimeSwitch ? [...this.runtimeSwitch.comment, ...this.comments] : this.comments;
  }

  text(instruction: Instruction): string {
    return this.model.index.textOf(instruction.getRange());
  }

  /** The offsets of an instruction's lines together with the comment lines right above it. */
  blockOf(instruction: Instruction): { start: number; end: number } {
    const { model } = this;
    const range = instruction.getRange();
    let firstLine = range.start.line;
    const directiveLines = new Set(
      model.dockerfile.getDirectives().map((d) => d.getRange().start.line),
    );
    while (firstLine > 0) {
      const above = model.index.lineText(firstLine - 1).trim();
      // Parser directives belong to the file, not to the instruction below them.
      if (!above.startsWith('#') || directiveLines.has(firstLine - 1)) break;
      firstLine--;
    }
    const lastLine = range.end.line;
    const end =
      lastLine + 1 < model.index.lineCount
        ? model.index.lineStart(lastLine + 1)
        : model.text.length;
    return { start: model.index.lineStart(firstLine), end };
  }

  /** The comment lines above an instruction (with their line breaks). */
  commentsAbove(instruction: Instruction): string {
    const block = this.blockOf(instruction);
    return this.model.text.slice(
      block.start,
      this.model.index.offsetAt(instruction.getRange().start),
    );
  }

  /** An instruction with the comments above it, without its final line break. */
  blockText(instruction: Instruction): string {
    const block = this.blockOf(instruction);
    return this.model.text.slice(block.start, block.end).replace(/\r?\n$/, '');
  }

  uniqueStageName(wanted: string): string {
    const taken = new Set(this.model.stages.map((s) => s.name?.toLowerCase()));
    if (!taken.has(wanted)) return wanted;
    for (let i = 2; ; i++) if (!taken.has(`${wanted}-${i}`)) return `${wanted}-${i}`;
  }
}

/** The USER in force just before an instruction of a stage (or inherited), if any. */
export function userBefore(stage: Stage, instruction: Instruction): string | undefined {
  let user = stage.parent?.user?.value;
  for (const i of stage.instructions) {
    if (i === instruction) break;
    if (keywordOf(i) === 'USER') user = i.getArgumentsContent()?.trim() ?? user;
  }
  return user;
}
