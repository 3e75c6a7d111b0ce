/**
 * Edits of a whole instruction: flags added after its keyword (`RUN --mount=...`), one of its
 * arguments or all its lines removed, a keyword written in the case of an instruction, and the
 * image a FROM names replaced.
 */
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../model/model';
import type { Range, TextEdit } from '../types';
import { insertAt, removeSpan, replaceRange } from './fixer';

/** Inserts flags right after the instruction's keyword (`RUN` + ` --mount=type=cache,...`). */
export function insertFlags(instruction: Instruction, flags: readonly string[]): TextEdit {
  return insertAt(instruction.getInstructionRange().end, ' ' + flags.join(' '));
}

/** Removes the instruction's whole lines, continuation lines and line break included. */
export function removeInstructionLines(model: DockerfileModel, instruction: Instruction): TextEdit {
  const range = instruction.getRange();
  const start = model.index.lineStart(range.start.line);
  const nextLine = range.end.line + 1;
  const end =
    nextLine < model.index.lineCount ? model.index.lineStart(nextLine) : model.text.length;
  return removeSpan(model, start, end);
}

/**
 * Removes one of an instruction's arguments (`ranges`, in order) with the gap before it, or the
 * whole instruction when it is the only one; undefined when the gap holds a comment line.
 */
export function removeArgument(
  model: DockerfileModel,
  instruction: Instruction,
  ranges: readonly Range[],
  index: number,
): TextEdit | undefined {
  if (ranges.length === 1) return removeInstructionLines(model, instruction);
  const before = index === 0 ? instruction.getInstructionRange().end : ranges[index - 1].end;
  const start = model.index.offsetAt(before);
  const end = model.index.offsetAt(ranges[index].end);
  if (/(^|[\r\n])[ \t]*#/.test(model.text.slice(start, end))) return undefined;
  return removeSpan(model, start, end);
}

/** A keyword (`AS`, `ENV`) in the case the instruction's own keyword is written in. */
export function keywordLike(
  model: DockerfileModel,
  instruction: Instruction,
  word: string,
): string {
  const written = model.index.textOf(instruction.getInstructionRange());
  return written === written.toLowerCase() ? word.toLowerCase() : word.toUpperCase();
}

/**
 * Replaces the image a stage's FROM names (its `--platform` flag and `AS` name stay), when the
 * FROM names an image written out plainly: not an earlier stage, not a variable.
 */
export function replaceBaseImage(stage: Stage, image: string): TextEdit | undefined {
  const { baseText, baseRange } = stage;
  if (stage.parent || baseText === undefined || !baseRange || baseText.includes('$')) {
    return undefined;
  }
  return replaceRange(baseRange, image);
}
