/**
 * The analysis of a Dockerfile's text, as the language server, the CLI and the library call it:
 * the whole model and every rule, or, for a document too large for that, the stage-scoped rules
 * a few stages at a time (large-document.ts).
 */
import { attachConversions } from './conversion-fix';
import { runRules } from './engine';
import { analyzeInSlices, finish, isLargeDocument } from './large-document';
import { buildModel, type DockerfileModel } from '../model/model';
import type { AnalyzeOptions, Diagnostic, DocumentAnalysis } from '../types';

/**
 * Analyses a Dockerfile's text: every rule over the whole model, or, for a document too large to
 * analyse whole (isLargeDocument), the stage-scoped rules a few stages at a time, with a note.
 * Never throws.
 */
export function analyzeDocument(text: string, options: AnalyzeOptions = {}): DocumentAnalysis {
  const analysis = findingsOf(text, options);
  return { ...analysis, diagnostics: attachConversions(analysis.diagnostics) };
}

/**
 * The analysis without "Convert to multi-stage" attached to the finding it resolves (for
 * fix-all, which never applies it).
 */
export function findingsOf(text: string, options: AnalyzeOptions = {}): DocumentAnalysis {
  if (isLargeDocument(text)) return finish(analyzeInSlices(text, options));
  let model: DockerfileModel;
  try {
    model = buildModel(text, options);
  } catch {
    return { diagnostics: [] };
  }
  return { diagnostics: runRules(model, options) };
}

/**
 * Analyses a Dockerfile's text and returns go-multistage's findings, each with its fixes (see
 * analyzeDocument). Never throws: malformed input yields the findings that can still be made, or
 * none.
 */
export function analyze(text: string, options: AnalyzeOptions = {}): Diagnostic[] {
  return analyzeDocument(text, options).diagnostics;
}
