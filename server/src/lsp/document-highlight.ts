/** textDocument/documentHighlight: the stage name under the cursor, its declaration and references. */
import {
  DocumentHighlightKind,
  type DocumentHighlight,
  type DocumentHighlightParams,
} from 'vscode-languageserver';
import { sitesOfStage, stageSiteAt } from '../core/stages/sites';
import type { Analysis } from './analysis';

export function documentHighlights(
  params: DocumentHighlightParams,
  analysis: Analysis,
): DocumentHighlight[] | null {
  const site = stageSiteAt(analysis.model, params.position);
  if (!site) return null;
  return sitesOfStage(analysis.model, site.stage).map((s) => ({
    range: s.range,
    kind: s.kind === 'declaration' ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
  }));
}
