/**
 * The outline of a Dockerfile: the ARGs before the first FROM, then one entry per stage (its
 * name, its base image) holding that stage's instructions.
 */
import type { Instruction } from 'dockerfile-ast';
import type { Range } from '../types';
import { stageName, type DockerfileModel, type Stage } from '../model/model';
import { joinContinuations } from '../model/instruction-text';
import { keywordOf } from '../model/instruction-view';

export type OutlineKind = 'stage' | 'global-arg' | 'instruction';

/** One node of the outline, shaped like an LSP DocumentSymbol. */
export interface OutlineSymbol {
  name: string;
  detail: string;
  kind: OutlineKind;
  /** The instruction keyword in upper case (`FROM` for a stage, `ARG` for a global ARG). */
  keyword: string;
  /** Everything the node spans. */
  range: Range;
  /** The part to reveal and select: the stage name, the ARG name, the instruction keyword. */
  selectionRange: Range;
  children: OutlineSymbol[];
}

/** Longest instruction label in the outline before it is cut with "…". */
export const MAX_LABEL = 60;

/** The instruction on one line, continuations joined, heredoc bodies left out, cut to a length. */
export function instructionLabel(model: DockerfileModel, instruction: Instruction): string {
  const text = model.index.textOf(instruction.getRange());
  // Continuation lines joined with a space (comment lines inside them dropped), as one line.
  const joined = joinContinuations(text.replace(/\r\n|\r|\n/g, '$& '), model.escapeChar);
  const first = joined
    .split(/\r\n|\r|\n/, 1)[0]
    .replace(/\s+/g, ' ')
    .trim();
  const label = first === '' ? keywordOf(instruction) : first;
  if (label.length <= MAX_LABEL) return label;
  // Cut at a space when there is one in the second half, so words stay whole.
  const cut = label.slice(0, MAX_LABEL - 1);
  const space = cut.lastIndexOf(' ');
  return (space > MAX_LABEL / 2 ? cut.slice(0, space) : cut).trimEnd() + '…';
}

function keywordRange(instruction: Instruction): Range {
  return instruction.getInstructionRange();
}

function instructionSymbol(model: DockerfileModel, instruction: Instruction): OutlineSymbol {
  return {
    name: instructionLabel(model, instruction),
    detail: '',
    kind: 'instruction',
    keyword: keywordOf(instruction),
    range: instruction.getRange(),
    selectionRange: keywordRange(instruction),
    children: [],
  };
}

function stageSymbol(model: DockerfileModel, stage: Stage): OutlineSymbol {
  const start = stage.from.getRange().start;
  const last = stage.instructions[stage.instructions.length - 1] ?? stage.from;
  const detail = [stage.baseText, stage.platform ? `--platform=${stage.platform.text}` : undefined]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
  return {
    name: stageName(stage),
    detail,
    kind: 'stage',
    keyword: 'FROM',
    range: { start, end: last.getRange().end },
    selectionRange: stage.nameRange ?? stage.baseRange ?? keywordRange(stage.from),
    children: stage.instructions.map((instruction) => instructionSymbol(model, instruction)),
  };
}

/** The outline of a Dockerfile: global ARGs and anything else before the first FROM, then stages. */
export function outline(model: DockerfileModel): OutlineSymbol[] {
  const firstFrom = model.stages[0]?.from;
  const top: OutlineSymbol[] = [];
  for (const instruction of model.instructions) {
    if (instruction === firstFrom) break;
    const args = model.globalArgs.filter((a) => a.instruction === instruction);
    if (args.length === 0) {
      top.push(instructionSymbol(model, instruction));
      continue;
    }
    for (const arg of args) {
      top.push({
        name: arg.name === '' ? 'ARG' : arg.name,
        detail: arg.defaultValue ?? '',
        kind: 'global-arg',
        keyword: 'ARG',
        range: instruction.getRange(),
        selectionRange: arg.nameRange,
        children: [],
      });
    }
  }
  return top.concat(model.stages.map((stage) => stageSymbol(model, stage)));
}
