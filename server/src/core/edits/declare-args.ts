/**
 * The edit that declares ARGs on a new line after a stage's FROM (the automatic platform ARGs a
 * stage uses without declaring them), and joining insertions at one place into one edit.
 */
import type { DockerfileModel, Stage } from '../model/model';
import { detectEol } from '../text/line-index';
import type { TextEdit } from '../types';

/** Whether the file writes its instructions in lowercase (judged by the stage's FROM). */
function lowercaseKeywords(model: DockerfileModel, stage: Stage): boolean {
  const written = model.index.textOf(stage.from.getInstructionRange());
  return written === written.toLowerCase();
}

/**
 * An edit that declares ARGs on a new line right after the stage's FROM (continuation lines
 * included), in the casing of the FROM keyword and with the file's line ends.
 */
export function declareArgsEdit(model: DockerfileModel, stage: Stage, names: string[]): TextEdit {
  const index = model.index;
  const keywordText = lowercaseKeywords(model, stage) ? 'arg' : 'ARG';
  const eol = detectEol(model.text);
  const fromStart = stage.from.getRange().start;
  const indent = index.lineText(fromStart.line).slice(0, fromStart.character);
  const line = `${indent}${keywordText} ${names.join(' ')}`;
  const endLine = stage.from.getRange().end.line;
  if (endLine + 1 < index.lineCount) {
    const position = { line: endLine + 1, character: 0 };
    return { range: { start: position, end: position }, newText: line + eol };
  }
  const position = index.positionAt(model.text.length);
  return { range: { start: position, end: position }, newText: eol + line };
}

/** Joins insertions at the same place into one edit (in list order), so none is dropped. */
export function mergeInsertions(model: DockerfileModel, edits: TextEdit[]): TextEdit[] {
  const result: TextEdit[] = [];
  for (const edit of edits) {
    const at = model.index.offsetAt(edit.range.start);
    const empty = at === model.index.offsetAt(edit.range.end);
    const same = result.find(
      (e) =>
        empty &&
        model.index.offsetAt(e.range.start) === at &&
        model.index.offsetAt(e.range.end) === at,
    );
    if (same) same.newText += edit.newText;
    else result.push({ range: edit.range, newText: edit.newText });
  }
  return result;
}
