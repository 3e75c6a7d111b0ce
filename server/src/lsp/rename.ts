/**
 * textDocument/rename: a stage's declaration and references (or a build argument's ARGs and
 * uses) as one edit carrying the document version; a refused name comes back as an error with the reason.
 */
import {
  LSPErrorCodes,
  ResponseError,
  type RenameParams,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { renameStage } from '../core/stages/rename';
import { renameVariable } from '../core/stages/variable-sites';
import type { Analysis } from './analysis';
import { workspaceEdit, type EditSupport } from './code-actions';

export function rename(
  params: RenameParams,
  document: TextDocument,
  analysis: Analysis,
  support: EditSupport,
): WorkspaceEdit {
  const result =
    renameStage(analysis.model, params.position, params.newName) ??
    renameVariable(analysis.model, params.position, params.newName);
  if (!result) {
    throw new ResponseError(LSPErrorCodes.RequestFailed, 'There is no stage name here to rename.');
  }
  if (!result.ok) throw new ResponseError(LSPErrorCodes.RequestFailed, result.reason);
  return workspaceEdit(document, result.edits, support);
}
