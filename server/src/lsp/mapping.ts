/** Conversions from the core's plain shapes to LSP types. */
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic as LspDiagnostic,
} from 'vscode-languageserver';
import type { Diagnostic, Range, Severity } from '../core/types';
import type { RuleDocLink } from '../node/rule-docs';

export const SOURCE = 'go-multistage';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** A finding as an LSP diagnostic, its code linked to the rule's page when there is one. */
export function toLspDiagnostic(diagnostic: Diagnostic, ruleLink: RuleDocLink): LspDiagnostic {
  const result: LspDiagnostic = {
    range: diagnostic.range,
    severity: SEVERITIES[diagnostic.severity],
    code: diagnostic.rule,
    source: SOURCE,
    message: diagnostic.message,
  };
  const href = ruleLink(diagnostic.rule);
  if (href !== undefined) result.codeDescription = { href };
  if (diagnostic.tags) {
    result.tags = diagnostic.tags.map((t) =>
      t === 'unnecessary' ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated,
    );
  }
  return result;
}

/**
 * The note on a document too large to analyse whole (which rules ran), shown once at its top as
 * information, without a rule code: it is not a finding.
 */
export function noteDiagnostic(note: string): LspDiagnostic {
  const top = { line: 0, character: 0 };
  return {
    range: { start: top, end: top },
    severity: DiagnosticSeverity.Information,
    source: SOURCE,
    message: note,
  };
}

export function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}
