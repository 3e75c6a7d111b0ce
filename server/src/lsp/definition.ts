/**
 * textDocument/definition: from `FROM <stage>`, `COPY --from=<stage|index>` or a mount's
 * `from=<stage>` to the stage's `AS name` (or its FROM line when it has no name).
 */
import type { DefinitionParams, Location } from 'vscode-languageserver';
import { stageSiteAt } from '../core/stages/sites';
import type { Analysis } from './analysis';

export function definition(params: DefinitionParams, analysis: Analysis): Location[] | null {
  const site = stageSiteAt(analysis.model, params.position);
  if (!site) return null;
  const stage = site.stage;
  return [{ uri: params.textDocument.uri, range: stage.nameRange ?? stage.from.getRange() }];
}
