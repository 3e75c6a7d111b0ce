/**
 * textDocument/prepareRename: renaming is offered on a stage's name and on its references (an
 * index too: renaming there names the stage), and on a build argument (ARG) and its uses;
 * elsewhere there is nothing to rename.
 */
import {
  LSPErrorCodes,
  ResponseError,
  type PrepareRenameParams,
  type Range,
} from 'vscode-languageserver';
import { prepareStageRename } from '../core/stages/rename';
import { prepareVariableRename } from '../core/stages/variable-sites';
import type { Analysis } from './analysis';

export function prepareRename(
  params: PrepareRenameParams,
  analysis: Analysis,
): { range: Range; placeholder: string } | null {
  const result =
    prepareStageRename(analysis.model, params.position) ??
    prepareVariableRename(analysis.model, params.position);
  if (!result) return null;
  if (!result.ok) throw new ResponseError(LSPErrorCodes.RequestFailed, result.reason);
  return { range: result.range, placeholder: result.placeholder };
}
