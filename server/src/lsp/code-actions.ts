/**
 * Code actions: the quick fixes of the findings the client shows, and "Convert to multi-stage"
 * as a refactoring. Always computed from the current document version; edits carry that
 * version so a client applies them only to the text they were made for.
 */
import {
  CodeActionKind,
  TextDocumentEdit,
  type CodeAction,
  type CodeActionParams,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { convertToMultiStage } from '../core/fixes/convert';
import type { TextEdit } from '../core/types';
import type { Analysis } from './analysis';
import { sameRange, SOURCE } from './mapping';

export const CONVERT_TITLE = 'Convert to multi-stage';

function wants(only: string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((k) => kind === k || kind.startsWith(k + '.'));
}

export function workspaceEdit(
  document: TextDocument,
  edits: TextEdit[],
  versioned: boolean,
): WorkspaceEdit {
  if (versioned) {
    return {
      documentChanges: [
        TextDocumentEdit.create({ uri: document.uri, version: document.version }, edits),
      ],
    };
  }
  return { changes: { [document.uri]: edits } };
}

export function codeActions(
  params: CodeActionParams,
  document: TextDocument,
  analysis: Analysis,
  runtimeImage: string,
  versioned: boolean,
): CodeAction[] {
  const actions: CodeAction[] = [];
  const only = params.context.only;
  if (wants(only, CodeActionKind.QuickFix)) {
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== SOURCE) continue;
      const finding = analysis.diagnostics.find(
        (d) => d.rule === diagnostic.code && sameRange(d.range, diagnostic.range),
      );
      for (const fix of finding?.fixes ?? []) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.isPreferred,
          edit: workspaceEdit(document, fix.edits, versioned),
        });
      }
    }
  }
  if (wants(only, CodeActionKind.RefactorRewrite)) {
    const conversion = convertToMultiStage(analysis.model, { runtimeImage });
    if (conversion.ok) {
      actions.push({
        title: CONVERT_TITLE,
        kind: CodeActionKind.RefactorRewrite,
        edit: workspaceEdit(document, conversion.edits, versioned),
      });
    }
  }
  return actions;
}
