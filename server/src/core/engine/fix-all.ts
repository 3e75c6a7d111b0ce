/**
 * Fix-all: applies every safe fix of the reported findings whose edits do not overlap, then
 * analyses again and repeats, until nothing is left to fix. Conversion to multi-stage is never
 * part of it (it is not `safe`).
 */
import { findingsOf } from './analyze';
import { applyEdits, editsOverlap } from '../text/edits';
import { LineIndex } from '../text/line-index';
import type { AnalyzeOptions, Fix, TextEdit } from '../types';

export interface FixAllResult {
  text: string;
  /** How many fixes were applied. */
  applied: number;
}

const MAX_PASSES = 10;

/** The safe fix a finding would take in a fix-all, if it has one. */
export function safeFix(fixes: readonly Fix[]): Fix | undefined {
  return fixes.find((f) => f.safe === true && f.kind === 'quickfix');
}

export function fixAll(text: string, options: AnalyzeOptions = {}): FixAllResult {
  let current = text;
  let applied = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const index = new LineIndex(current);
    const chosen: TextEdit[][] = [];
    for (const diagnostic of findingsOf(current, options).diagnostics) {
      const fix = safeFix(diagnostic.fixes);
      if (!fix || fix.edits.length === 0) continue;
      if (chosen.some((edits) => editsOverlap(index, edits, fix.edits))) continue;
      chosen.push(fix.edits);
    }
    if (chosen.length === 0) break;
    const next = applyEdits(current, chosen.flat());
    if (next === current) break;
    current = next;
    applied += chosen.length;
  }
  return { text: current, applied };
}

/**
 * The smallest single edit that turns `before` into `after` (common prefix and suffix kept), so
 * an editor applying a whole-file result does not move the cursor needlessly.
 */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const limit = Math.min(before.length, after.length);
  while (start < limit && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  // Do not split a CRLF pair.
  if (start > 0 && before[start - 1] === '\r' && before[start] === '\n') start--;
  const index = new LineIndex(before);
  return {
    range: { start: index.positionAt(start), end: index.positionAt(endBefore) },
    newText: after.slice(start, endAfter),
  };
}
