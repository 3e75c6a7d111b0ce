/**
 * textDocument/definition: from `FROM <stage>`, `COPY --from=<stage|index>` or a mount's
 * `from=<stage>` to the stage's `AS name` (or its FROM line when it has no name); from `$NAME`
 * to the ARG or ENV in force there.
 */
import type { DefinitionParams, Location } from 'vscode-languageserver';
import { stageSiteAt } from '../core/stages/sites';
import { variableAt } from '../core/stages/variable-sites';
import type { Analysis } from './analysis';

export function definition(params: DefinitionParams, analysis: Analysis): Location[] | null {
  const site = stageSiteAt(analysis.model, params.position);
  if (!site) {
    const declaration = variableAt(analysis.model, params.position)?.declaration;
    return declaration ? [{ uri: params.textDocument.uri, range: declaration.range }] : null;
  }
  const stage = site.stage;
  return [{ uri: params.textDocument.uri, range: stage.nameRange ?? stage.from.getRange() }];
}
