/** Positions in test texts, found by the text at them. */
import { LineIndex } from '../../../server/src/core/text/line-index';
import type { Position, Range } from '../../../server/src/core/types';

/** The position `offset` characters into the `nth` occurrence (0-based) of `needle`. */
export function positionOf(text: string, needle: string, nth = 0, offset = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" #${nth} not in text`);
  }
  return new LineIndex(text).positionAt(at + offset);
}

/** The text a range covers. */
export function textAt(text: string, range: Range): string {
  return new LineIndex(text).textOf(range);
}

/** Where each occurrence of `needle` is: `line:character` (0-based). */
export function where(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}
