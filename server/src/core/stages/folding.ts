/**
 * Folding ranges of a Dockerfile: each stage from its FROM to its last instruction, each
 * instruction that spans several lines (a RUN continued with `\`), and each run of two or more
 * comment lines. Shaped like LSP FoldingRange (zero-based lines).
 */
import type { DockerfileModel } from '../model/model';

export interface Fold {
  startLine: number;
  endLine: number;
  /** `region` for a stage, `comment` for a comment block; none for an instruction. */
  kind?: 'region' | 'comment';
}

/** The folds of a document, in order of their first line. */
export function foldingRanges(model: DockerfileModel): Fold[] {
  const folds: Fold[] = [];
  for (const stage of model.stages) {
    const start = stage.from.getRange().start.line;
    let end = stage.from.getRange().end.line;
    for (const instruction of stage.instructions)
      end = Math.max(end, instruction.getRange().end.line);
    if (end > start) folds.push({ startLine: start, endLine: end, kind: 'region' });
  }
  for (const instruction of model.instructions) {
    const { start, end } = instruction.getRange();
    if (end.line > start.line) folds.push({ startLine: start.line, endLine: end.line });
  }
  // Comment lines that follow each other, outside instructions (a header, a disabled block).
  let block: Fold | undefined;
  for (const comment of model.dockerfile.getComments()) {
    const line = comment.getRange().start.line;
    if (block && line === block.endLine + 1) block.endLine = line;
    else {
      if (block && block.endLine > block.startLine) folds.push(block);
      block = { startLine: line, endLine: line, kind: 'comment' };
    }
  }
  if (block && block.endLine > block.startLine) folds.push(block);
  return folds.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
