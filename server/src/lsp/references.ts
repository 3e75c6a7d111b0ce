/**
 * textDocument/references: a stage's declaration (when asked) and every reference to it; an
 * ARG's or ENV's declaration and the uses it is in force for.
 */
import type { Location, ReferenceParams } from 'vscode-languageserver';
import { sitesOfStage, stageSiteAt } from '../core/stages/sites';
import { usesOf, variableAt } from '../core/stages/variable-sites';
import type { Analysis } from './analysis';

export function references(params: ReferenceParams, analysis: Analysis): Location[] | null {
  const site = stageSiteAt(analysis.model, params.position);
  if (!site) {
    const declaration = variableAt(analysis.model, params.position)?.declaration;
    if (!declaration) return null;
    const ranges = [
      ...(params.context.includeDeclaration ? [declaration.range] : []),
      ...usesOf(analysis.model, declaration).map((u) => u.range),
    ];
    return ranges.map((range) => ({ uri: params.textDocument.uri, range }));
  }
  return sitesOfStage(analysis.model, site.stage)
    .filter((s) => params.context.includeDeclaration || s.kind !== 'declaration')
    .map((s) => ({ uri: params.textDocument.uri, range: s.range }));
}
