/**
 * textDocument/inlayHint: resolved base images, the stage a numeric `--from` names, what each go
 * build writes and builds for, the user the image runs as. Off unless the user turns on
 * `goMultistage.inlayHints.enable`.
 */
import { InlayHintKind, type InlayHint, type InlayHintParams } from 'vscode-languageserver';
import { inlayHints as hintsOf } from '../core/stages/inlay-hints';
import type { Analysis } from './analysis';
import type { Settings } from './settings';

export function inlayHints(
  params: InlayHintParams,
  analysis: Analysis,
  settings: Settings,
): InlayHint[] {
  if (!settings.inlayHints.enable) return [];
  return hintsOf(analysis.model, params.range).map((hint) => ({
    position: hint.position,
    label: hint.label,
    tooltip: hint.tooltip,
    kind: hint.kind === 'type' ? InlayHintKind.Type : InlayHintKind.Parameter,
    paddingLeft: true,
  }));
}
