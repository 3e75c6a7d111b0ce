/**
 * go-multistage's analysis core: pure functions from Dockerfile text (and, when known, the
 * go.mod text and the build context's file list) to findings and fixes. No editor, protocol or
 * file-system dependency: the language server, the CLI and the tests all call this.
 */
export { analyze, analyzeDocument } from './engine/analyze';
export { isGoDockerfile, runRules } from './engine/engine';
export { attachConversions } from './engine/conversion-fix';
export { buildModel, type DockerfileModel, type Stage } from './model/model';
export { parseGoMod, type GoMod } from './model/gomod';
export {
  convertToMultiStage,
  CONVERT_LAYOUTS,
  RUNTIME_CHOICES,
  type ConvertLayout,
  type ConvertOptions,
  type ConvertResult,
} from './convert';
export { applyEdits } from './text/edits';
export { fixAll, type FixAllResult } from './engine/fix-all';
export {
  buildInvariants,
  invariantChanges,
  type BuildInvariants,
  type StageInvariants,
} from './engine/fix-invariants';
export { RULES, findRule } from './rules';
export type { Rule, RuleMeta } from './rules/rule';
export { DEFAULT_RUNTIME_IMAGE } from './model/images';
export * from './types';
