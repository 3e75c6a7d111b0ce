/**
 * The plain edits every fix is made of, named for what they do (as ESLint's fixer): replace a
 * range, insert at a position, remove a range, given by positions or by document offsets. Rules
 * build their edits from these and the helpers beside them, never as object literals.
 */
import type { DockerfileModel } from '../model/model';
import type { Position, Range, TextEdit } from '../types';

/** Replaces the text of a range. */
export function replaceRange(range: Range, text: string): TextEdit {
  return { range, newText: text };
}

/** Inserts text at a position. */
export function insertAt(position: Position, text: string): TextEdit {
  return { range: { start: position, end: position }, newText: text };
}

/** Removes the text of a range. */
export function removeRange(range: Range): TextEdit {
  return { range, newText: '' };
}

/** Replaces the text between two document offsets. */
export function replaceSpan(
  model: DockerfileModel,
  start: number,
  end: number,
  text: string,
): TextEdit {
  return { range: model.index.rangeOf(start, end), newText: text };
}

/** Removes the text between two document offsets. */
export function removeSpan(model: DockerfileModel, start: number, end: number): TextEdit {
  return replaceSpan(model, start, end, '');
}

/** Inserts text at a document offset. */
export function insertAtOffset(model: DockerfileModel, offset: number, text: string): TextEdit {
  return insertAt(model.index.positionAt(offset), text);
}
