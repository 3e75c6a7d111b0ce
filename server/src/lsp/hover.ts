/** textDocument/hover: what a stage is and who uses it; the rule behind a finding, with its page. */
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { hoverAt } from '../core/stages/hover';
import type { Analysis } from './analysis';

export function hover(params: HoverParams, analysis: Analysis): Hover | null {
  const content = hoverAt(analysis.model, analysis.diagnostics, params.position);
  if (!content) return null;
  return { contents: { kind: MarkupKind.Markdown, value: content.markdown }, range: content.range };
}
