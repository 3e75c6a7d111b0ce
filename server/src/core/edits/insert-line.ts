/**
 * Inserting whole instruction lines next to an existing instruction, the way the file is
 * written: its line endings (CRLF stays CRLF), the anchor's indentation, lowercase keywords when
 * the file uses them, and without splitting a comment from the instruction it describes.
 */
import type { Instruction } from 'dockerfile-ast';
import { endsOpen } from '../model/instruction-text';
import type { DockerfileModel } from '../model/model';
import { perKey } from '../facts/memo';
import { detectEol } from '../text/line-index';
import type { TextEdit } from '../types';
import { insertAt, insertAtOffset } from './fixer';

/** Whether most instructions of the file are written in lowercase (counted once per model). */
export const prefersLowercase: (model: DockerfileModel) => boolean = perKey((model) => {
  let lower = 0;
  let upper = 0;
  for (const instruction of model.instructions) {
    const word = instruction.getInstruction();
    if (word === word.toLowerCase()) lower++;
    else upper++;
  }
  return lower > upper;
});

/** An instruction line with its keyword in the file's case (`USER 65532:65532`). */
export function instructionLine(model: DockerfileModel, keyword: string, rest: string): string {
  return `${prefersLowercase(model) ? keyword.toLowerCase() : keyword.toUpperCase()} ${rest}`;
}

function indentationOf(model: DockerfileModel, line: number): string {
  return /^[ \t]*/.exec(model.index.lineText(line))?.[0] ?? '';
}

/** First line of an instruction together with the comment lines right above it. */
function firstLineWithComments(model: DockerfileModel, instruction: Instruction): number {
  let line = instruction.getRange().start.line;
  const directives = new Set(model.dockerfile.getDirectives().map((d) => d.getRange().start.line));
  while (line > 0) {
    const above = model.index.lineText(line - 1).trim();
    if (!above.startsWith('#') || directives.has(line - 1)) break;
    line--;
  }
  return line;
}

/**
 * An edit inserting `lines` before an instruction, above the comments that introduce it, with
 * the instruction's indentation.
 */
export function insertBefore(
  model: DockerfileModel,
  instruction: Instruction,
  lines: readonly string[],
): TextEdit {
  const eol = detectEol(model.text);
  const line = firstLineWithComments(model, instruction);
  const indent = indentationOf(model, instruction.getRange().start.line);
  return insertAt({ line, character: 0 }, lines.map((l) => indent + l + eol).join(''));
}

/**
 * An edit inserting `lines` right above an instruction's first line (below the comments above
 * it), with the instruction's indentation.
 */
export function insertAbove(
  model: DockerfileModel,
  instruction: Instruction,
  lines: readonly string[],
): TextEdit {
  const eol = detectEol(model.text);
  const start = instruction.getRange().start;
  const indent = model.index.lineText(start.line).slice(0, start.character);
  return insertAt({ line: start.line, character: 0 }, lines.map((l) => indent + l + eol).join(''));
}

/**
 * An edit inserting `lines` right after an instruction (after its last line, continuation lines
 * and heredoc bodies included), with the instruction's indentation; undefined when the
 * instruction is left open (a heredoc never closed, a dangling continuation) and would swallow
 * the lines.
 */
export function insertAfter(
  model: DockerfileModel,
  instruction: Instruction,
  lines: readonly string[],
): TextEdit | undefined {
  if (endsOpen(instruction, model.index, model.escapeChar)) return undefined;
  const eol = detectEol(model.text);
  const indent = indentationOf(model, instruction.getRange().start.line);
  const lastLine = instruction.getRange().end.line;
  const body = lines.map((l) => indent + l).join(eol);
  if (lastLine + 1 < model.index.lineCount) {
    return insertAt({ line: lastLine + 1, character: 0 }, body + eol);
  }
  // The instruction ends the file without a line break.
  return insertAtOffset(model, model.index.lineEnd(lastLine), eol + body + eol);
}

/**
 * An edit inserting `lines` where the instruction starts, each followed by a line break and the
 * instruction's indentation, so that the instruction follows them on its own line (right before
 * it, below the comments above it).
 */
export function insertAtStart(
  model: DockerfileModel,
  instruction: Instruction,
  lines: readonly string[],
): TextEdit {
  const start = instruction.getRange().start;
  const indent = model.index.lineText(start.line).slice(0, start.character);
  const eol = detectEol(model.text);
  return insertAt(start, lines.map((l) => l + eol + indent).join(''));
}
