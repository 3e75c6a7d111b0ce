/** textDocument/references: a stage's declaration (when asked) and every reference to it. */
import type { Location, ReferenceParams } from 'vscode-languageserver';
import { sitesOfStage, stageSiteAt } from '../core/stages/sites';
import type { Analysis } from './analysis';

export function references(params: ReferenceParams, analysis: Analysis): Location[] | null {
  const site = stageSiteAt(analysis.model, params.position);
  if (!site) return null;
  return sitesOfStage(analysis.model, site.stage)
    .filter((s) => params.context.includeDeclaration || s.kind !== 'declaration')
    .map((s) => ({ uri: params.textDocument.uri, range: s.range }));
}
