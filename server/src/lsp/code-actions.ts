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
import { fixAll, minimalEdit } from '../core/fixes/fix-all';
import { suppressionFix } from '../core/suppression';
import type { TextEdit } from '../core/types';
import type { Analysis } from './analysis';
import { sameRange, SOURCE } from './mapping';

export const CONVERT_TITLE = 'Convert to multi-stage';
export const FIX_ALL_KIND = 'source.fixAll.go-multistage';

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
      if (!finding) continue;
      for (const fix of finding.fixes) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.isPreferred,
          edit: workspaceEdit(document, fix.edits, versioned),
        });
      }
      const disable = suppressionFix(analysis.model, finding);
      if (disable) {
        actions.push({
          title: disable.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: workspaceEdit(document, disable.edits, versioned),
        });
      }
    }
  }
  // Fix-all is only computed when asked for explicitly (on save, or the Fix All command).
  if (only?.some((k) => FIX_ALL_KIND === k || FIX_ALL_KIND.startsWith(k + '.'))) {
    const text = document.getText();
    const result = fixAll(text, analysis.options);
    const edit = minimalEdit(text, result.text);
    if (edit) {
      actions.push({
        title: `Fix all go-multistage problems (${result.applied})`,
        kind: FIX_ALL_KIND,
        edit: workspaceEdit(document, [edit], versioned),
      });
    }
  }
  if (wants(only, CodeActionKind.RefactorRewrite)) {
    // Once per document version and settings: the analysis is cached with the same key.
    analysis.conversion ??= convertToMultiStage(analysis.model, {
      runtimeImage: analysis.options.runtimeImage,
      layout: analysis.options.convertLayout,
    });
    const conversion = analysis.conversion;
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
