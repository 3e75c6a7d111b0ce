/**
 * The stage model: built once per document version from dockerfile-ast, read by every rule.
 * Stages with their resolved bases, WORKDIR and environment as they evolve, the go commands in
 * RUN instructions and the files they write, COPY edges, and the start command. The shapes are
 * in types.ts; the builder per instruction kind in stage.ts, run.ts, copy.ts, start-commands.ts.
 */
import type { From, Instruction } from 'dockerfile-ast';
import { parseDockerfile } from './parse';
import { expand } from './variables';
import { buildArgValue } from './build-args';
import { parseGoMod } from './gomod';
import { argDeclarations } from './args';
import { contextIndexOf } from './context-index';
import { keywordOf } from './instruction-view';
import { buildStage } from './stage';
import { resolveLaterStageReferences } from './stage-references';
import type { DockerfileModel } from './types';
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

/** Builds the model of a Dockerfile. Never throws on malformed input. */
export function buildModel(text: string, options: AnalyzeOptions = {}): DockerfileModel {
  const dockerfile = parseDockerfile(text);
  const index = new LineIndex(text);
  const escapeChar = dockerfile.getEscapeCharacter();
  const instructions = dockerfile.getInstructions();
  const goMod = options.goMod !== undefined ? parseGoMod(options.goMod) : undefined;
  const model: DockerfileModel = {
    text,
    index,
    dockerfile,
    escapeChar,
    instructions,
    globalArgs: [],
    globalScope: new Map(),
    stages: [],
    goMod,
    context: options.context ? contextIndexOf(options.context) : undefined,
    options,
  };
  const groups: { from: From; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    const keyword = keywordOf(instruction);
    if (keyword === 'FROM') {
      groups.push({ from: instruction as From, instructions: [] });
    } else if (groups.length === 0) {
      if (keyword === 'ARG') {
        for (const declaration of argDeclarations(model, instruction)) {
          model.globalArgs.push(declaration);
          const value =
            declaration.defaultValue === undefined
              ? null
              : expand(declaration.defaultValue, model.globalScope).value;
          model.globalScope.set(declaration.name, buildArgValue(options, declaration.name, value));
        }
      }
    } else {
      groups[groups.length - 1].instructions.push(instruction);
    }
  }
  for (const group of groups) {
    model.stages.push(buildStage(model, model.stages.length, group.from, group.instructions));
  }
  resolveLaterStageReferences(model);
  model.finalStage = model.stages[model.stages.length - 1];
  return model;
}
