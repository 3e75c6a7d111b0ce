/**
 * Code actions: the quick fixes of the findings the client shows, and "Convert to multi-stage"
 * as a refactoring. Always computed from the current document version; edits carry that
 * version so a client applies them only to the text they were made for.
 */
import {
  AnnotatedTextEdit,
  CodeActionKind,
  TextDocumentEdit,
  type ChangeAnnotation,
  type CodeAction,
  type CodeActionParams,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ConvertResult } from '../core/convert';
import { configuredConversion } from '../core/convert/memo';
import { CONVERT_FIX_TITLE } from '../core/engine/conversion-fix';
import { fixAll, minimalEdit } from '../core/engine/fix-all';
import { suppressionFix } from '../core/engine/suppression';
import type { TextEdit } from '../core/types';
import { findingsWithConversion, type Analysis } from './analysis';
import { sameRange, SOURCE } from './mapping';

export const CONVERT_TITLE = CONVERT_FIX_TITLE;
export const FIX_ALL_KIND = 'source.fixAll.go-multistage';

function wants(only: string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((k) => kind === k || kind.startsWith(k + '.'));
}

/** What the client can take in a workspace edit. */
export interface EditSupport {
  /** Versioned document changes (`documentChanges`). */
  versioned: boolean;
  /** Change annotations, which VS Code shows in a preview before applying when asked to. */
  annotations: boolean;
}

/** The id of the conversion's change annotation in the edits it makes. */
const CONVERT_ANNOTATION = 'go-multistage.convert';

export function workspaceEdit(
  document: TextDocument,
  edits: TextEdit[],
  support: EditSupport,
  /**
   * What the edit does and why, shown before it is applied (the conversion's notes), when the
   * client supports change annotations.
   */
  annotation?: ChangeAnnotation,
): WorkspaceEdit {
  if (support.versioned) {
    const identifier = { uri: document.uri, version: document.version };
    if (annotation && support.annotations) {
      return {
        documentChanges: [
          TextDocumentEdit.create(
            identifier,
            edits.map((e) => AnnotatedTextEdit.replace(e.range, e.newText, CONVERT_ANNOTATION)),
          ),
        ],
        changeAnnotations: { [CONVERT_ANNOTATION]: annotation },
      };
    }
    return { documentChanges: [TextDocumentEdit.create(identifier, edits)] };
  }
  return { changes: { [document.uri]: edits } };
}

/**
 * The annotation of a conversion: its notes, which editors that show change annotations display
 * with the edit. It asks for no confirmation: VS Code's refactor preview would leave the edit
 * unchecked; the decisions that change how the program runs are written as comments in the new
 * stage instead, and the notes go to the log.
 */
export function conversionAnnotation(notes: readonly string[]): ChangeAnnotation {
  return { label: CONVERT_TITLE, description: notes.join(' '), needsConfirmation: false };
}

export function codeActions(
  params: CodeActionParams,
  document: TextDocument,
  analysis: Analysis,
  support: EditSupport,
): CodeAction[] {
  const actions: CodeAction[] = [];
  const only = params.context.only;
  let convertOffered = false;
  if (wants(only, CodeActionKind.QuickFix)) {
    const findings = findingsWithConversion(analysis);
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== SOURCE) continue;
      const finding = findings.find(
        (d) => d.rule === diagnostic.code && sameRange(d.range, diagnostic.range),
      );
      if (!finding) continue;
      for (const fix of finding.fixes) {
        // The conversion offered on its finding shows its notes before it is applied.
        const converts = fix.title === CONVERT_TITLE;
        if (converts) convertOffered = true;
        const notes = converts ? conversionOf(analysis).notes : undefined;
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.isPreferred,
          edit: workspaceEdit(
            document,
            fix.edits,
            support,
            notes ? conversionAnnotation(notes) : undefined,
          ),
        });
      }
      const disable = suppressionFix(analysis.model, finding);
      if (disable) {
        actions.push({
          title: disable.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: workspaceEdit(document, disable.edits, support),
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
        edit: workspaceEdit(document, [edit], support),
      });
    }
  }
  // The refactoring, unless the same conversion is already offered as the finding's quick fix
  // in this menu (it would show twice).
  const refactorAsked = only !== undefined && wants(only, CodeActionKind.RefactorRewrite);
  if (wants(only, CodeActionKind.RefactorRewrite) && (!convertOffered || refactorAsked)) {
    const conversion = conversionOf(analysis);
    if (conversion.ok) {
      actions.push({
        title: CONVERT_TITLE,
        kind: CodeActionKind.RefactorRewrite,
        edit: workspaceEdit(
          document,
          conversion.edits,
          support,
          conversionAnnotation(conversion.notes),
        ),
      });
    }
  }
  return actions;
}

/** The conversion, once per document version and settings (the analysis is cached with them). */
function conversionOf(analysis: Analysis): ConvertResult & { notes: string[] } {
  const conversion = configuredConversion(analysis.model);
  return conversion.ok ? conversion : { ...conversion, notes: [] };
}
