/**
 * The stage model: built once per document version from dockerfile-ast (lazily: parsed, then
 * walked, on first read), read by every rule.
 * Stages with their resolved bases, WORKDIR and environment as they evolve, the go commands in
 * RUN instructions and the files they write, COPY edges, and the start command. The shapes are
 * in types.ts; the builder per instruction kind in stage.ts, run.ts, copy.ts, start-commands.ts.
 */
import type { Dockerfile, From, Instruction } from 'dockerfile-ast';
import { parseDockerfile } from './parse';
import { expand } from './variables';
import { buildArgValue } from './build-args';
import { parseGoMod } from './gomod';
import { argDeclarations } from './args';
import { contextIndexOf } from './context-index';
import { keywordOf } from './instruction-view';
import { buildStage } from './stage';
import { resolveLaterStageReferences } from './stage-references';
import type { ArgDeclaration, DockerfileModel, Stage } from './types';
import type { GoMod } from './gomod';
import type { ContextIndex } from './context-index';
import { LineIndex } from '../text/line-index';
import type { AnalyzeOptions } from '../types';

export type * from './types';
export { ContextIndex } from './context-index';
export { PLATFORM_ARGS, argInForce } from './args';
export { findStage, stageName } from './stage-references';
export { urlFileName } from './copy';
export {
  cgoState,
  cgoStateFor,
  contextPathOf,
  copiedGoMod,
  moduleFor,
  nearestCopiedModule,
  runOf,
} from './run';

/**
 * Builds the model of a Dockerfile. Never throws on malformed input. The model is lazy: the text
 * is parsed the first time an instruction is read, and the stages are walked the first time a
 * stage or global ARG is read, so a Dockerfile whose findings need neither (one that never names
 * Go) costs next to nothing.
 */
export function buildModel(text: string, options: AnalyzeOptions = {}): DockerfileModel {
  return new ModelState(text, options).model;
}

/**
 * The same model seen with another stage as its final one (one of several images a build ships):
 * it shares the model's parse and stage walk.
 */
export function withFinalStage(model: DockerfileModel, stage: Stage): DockerfileModel {
  return model instanceof Model ? new Model(model.state, stage) : { ...model, finalStage: stage };
}

/** The parse of the text. */
interface Parsed {
  dockerfile: Dockerfile;
  index: LineIndex;
  escapeChar: string;
  instructions: Instruction[];
}

/** The stages and global ARGs, filled in by one walk over the instructions. */
interface Walked {
  globalArgs: ArgDeclaration[];
  globalScope: Map<string, string | null>;
  stages: Stage[];
  finalStage: Stage | undefined;
}

/** What a model and its views compute, each part on first read. */
class ModelState {
  private parsed: Parsed | undefined;
  private walked: Walked | undefined;
  private module: { goMod: GoMod | undefined } | undefined;
  private contextIndex: { context: ContextIndex | undefined } | undefined;

  /** The model the stages are walked for (not one of its views). */
  readonly model: DockerfileModel;

  constructor(
    readonly text: string,
    readonly options: AnalyzeOptions,
  ) {
    this.model = new Model(this);
  }

  parse(): Parsed {
    if (this.parsed) return this.parsed;
    const dockerfile = parseDockerfile(this.text);
    this.parsed = {
      dockerfile,
      index: new LineIndex(this.text),
      escapeChar: dockerfile.getEscapeCharacter(),
      instructions: dockerfile.getInstructions(),
    };
    return this.parsed;
  }

  /**
   * The walk's results; while the walk runs, the stages built so far (the builder reads the
   * earlier stages of the one it builds).
   */
  walk(): Walked {
    if (this.walked) return this.walked;
    const walked: Walked = {
      globalArgs: [],
      globalScope: new Map(),
      stages: [],
      finalStage: undefined,
    };
    this.walked = walked;
    try {
      walkStages(this.model, walked);
    } catch (error) {
      // As an eager builder would: every read fails, none sees a half-built model.
      this.walked = undefined;
      throw error;
    }
    return walked;
  }

  goMod(): GoMod | undefined {
    const { goMod } = this.options;
    return (this.module ??= { goMod: goMod !== undefined ? parseGoMod(goMod) : undefined }).goMod;
  }

  context(): ContextIndex | undefined {
    const { context } = this.options;
    return (this.contextIndex ??= { context: context ? contextIndexOf(context) : undefined })
      .context;
  }
}

/** A Dockerfile's model, read through its state's lazy parts; `final` overrides the final stage. */
class Model implements DockerfileModel {
  constructor(
    readonly state: ModelState,
    private readonly final?: Stage,
  ) {}

  get text(): string {
    return this.state.text;
  }
  get options(): AnalyzeOptions {
    return this.state.options;
  }
  get dockerfile(): Dockerfile {
    return this.state.parse().dockerfile;
  }
  get index(): LineIndex {
    return this.state.parse().index;
  }
  get escapeChar(): string {
    return this.state.parse().escapeChar;
  }
  get instructions(): Instruction[] {
    return this.state.parse().instructions;
  }
  get goMod(): GoMod | undefined {
    return this.state.goMod();
  }
  get context(): ContextIndex | undefined {
    return this.state.context();
  }
  get globalArgs(): ArgDeclaration[] {
    return this.state.walk().globalArgs;
  }
  get globalScope(): Map<string, string | null> {
    return this.state.walk().globalScope;
  }
  get stages(): Stage[] {
    return this.state.walk().stages;
  }
  get finalStage(): Stage | undefined {
    return this.final ?? this.state.walk().finalStage;
  }
}

function walkStages(model: DockerfileModel, walk: Walked): void {
  const { options } = model;
  const groups: { from: From; instructions: Instruction[] }[] = [];
  for (const instruction of model.instructions) {
    const keyword = keywordOf(instruction);
    if (keyword === 'FROM') {
      groups.push({ from: instruction as From, instructions: [] });
    } else if (groups.length === 0) {
      if (keyword === 'ARG') {
        for (const declaration of argDeclarations(model, instruction)) {
          walk.globalArgs.push(declaration);
          const value =
            declaration.defaultValue === undefined
              ? null
              : expand(declaration.defaultValue, walk.globalScope).value;
          walk.globalScope.set(declaration.name, buildArgValue(options, declaration.name, value));
        }
      }
    } else {
      groups[groups.length - 1].instructions.push(instruction);
    }
  }
  for (const group of groups) {
    walk.stages.push(buildStage(model, walk.stages.length, group.from, group.instructions));
  }
  resolveLaterStageReferences(model);
  walk.finalStage = walk.stages[walk.stages.length - 1];
}
