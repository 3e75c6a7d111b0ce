import type { TextEdit } from '../types';
import { LineIndex } from './line-index';

/** Orders edits by position; throws when two of them overlap (a fix must never do that). */
export function sortEdits(index: LineIndex, edits: readonly TextEdit[]): TextEdit[] {
  const withOffsets = edits.map((edit) => ({
    edit,
    start: index.offsetAt(edit.range.start),
    end: index.offsetAt(edit.range.end),
  }));
  withOffsets.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < withOffsets.length; i++) {
    if (withOffsets[i].start < withOffsets[i - 1].end) {
      throw new Error('overlapping edits');
    }
  }
  return withOffsets.map((e) => e.edit);
}

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const index = new LineIndex(text);
  const sorted = sortEdits(index, edits);
  let result = '';
  let cursor = 0;
  for (const edit of sorted) {
    const start = index.offsetAt(edit.range.start);
    const end = index.offsetAt(edit.range.end);
    result += text.slice(cursor, start) + edit.newText;
    cursor = end;
  }
  return result + text.slice(cursor);
}

/** True when two edit lists touch a common span of the text (so both cannot be applied). */
export function editsOverlap(
  index: LineIndex,
  a: readonly TextEdit[],
  b: readonly TextEdit[],
): boolean {
  for (const x of a) {
    const xs = index.offsetAt(x.range.start);
    const xe = index.offsetAt(x.range.end);
    for (const y of b) {
      const ys = index.offsetAt(y.range.start);
      const ye = index.offsetAt(y.range.end);
      // Two insertions at one offset conflict too: their order would be arbitrary.
      if (xs < ye && ys < xe) return true;
      if (xs === ys && (xs === xe || ys === ye)) return true;
    }
  }
  return false;
}
