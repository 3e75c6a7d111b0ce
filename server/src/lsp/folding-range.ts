/** textDocument/foldingRange: stages, multi-line instructions and comment blocks. */
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import { foldingRanges as folds } from '../core/stages/folding';
import type { Analysis } from './analysis';

export function foldingRanges(analysis: Analysis): FoldingRange[] {
  return folds(analysis.model).map((fold) => ({
    startLine: fold.startLine,
    endLine: fold.endLine,
    kind:
      fold.kind === 'region'
        ? FoldingRangeKind.Region
        : fold.kind === 'comment'
          ? FoldingRangeKind.Comment
          : undefined,
  }));
}
