/**
 * Whether a stage lacks a shell where one is needed: the stage's base has no /bin/sh (scratch,
 * distroless, Chainguard static) and nothing put one back, at the end of the stage (where CMD,
 * ENTRYPOINT and HEALTHCHECK run) or when a given instruction runs (a shell-form RUN). One fact,
 * read by run-without-shell, shell-form-without-shell and healthcheck-needs-shell-or-tool.
 */
import type { Instruction } from 'dockerfile-ast';
import { runOf, type DockerfileModel, type Stage } from '../model/model';
import { chainFact } from './stage-tree';
import { isAbsolute } from '../text/posix-path';
import { keywordOf } from '../model/instruction-view';

/** True when a stage's base has no shell and none was added to it (at the end of the stage). */
export function lacksShell(stage: Stage): boolean {
  if (stage.hasShell !== false || stage.shellInstruction) return false;
  return stage.fs.lookup('/bin/sh').presence === 'no';
}

/**
 * True when the shell at `shell` (an absolute path: /bin/sh, or a heredoc's `#!` interpreter) is
 * missing when the instruction starting at offset `before` runs: the base has no shell, no SHELL
 * instruction is in force there, and no earlier instruction can have put the program in place.
 */
export function lacksShellAt(
  model: DockerfileModel,
  stage: Stage,
  before: number,
  shell = '/bin/sh',
): boolean {
  if (stage.hasShell !== false || shellBefore(model, stage, before)) return false;
  return isAbsolute(shell) && presentBefore(model, stage, shell, before) === 'no';
}

/** Offset of an instruction's start in the document. */
export function startOf(model: DockerfileModel, instruction: Instruction): number {
  return model.index.offsetAt(instruction.getRange().start);
}

/**
 * Whether a path exists in the stage when the instruction at `before` runs: only what earlier
 * instructions wrote counts. A shell-form RUN in a shell-less stage cannot have written anything
 * (it failed), so the uncertainty it leaves does not count either.
 */
function presentBefore(
  model: DockerfileModel,
  stage: Stage,
  path: string,
  before: number,
): 'yes' | 'maybe' | 'no' {
  const found = stage.fs.lookup(path, (entry) => startOf(model, entry.instruction) >= before);
  if (found.presence !== 'maybe' || found.entry) return found.presence;
  // Something the model could not follow may have written it: a COPY/ADD to an unresolved
  // destination, or an exec-form RUN (which works without a shell), before this instruction.
  // The stages it is built on come before it: all their RUNs are earlier.
  const execRunBefore =
    (stage.parent !== undefined && execRunInChain(stage.parent)) ||
    stage.runs.some((r) => r.exec && startOf(model, r.instruction) < before);
  const opaque = stage.fs.opaque;
  const opaqueRun = opaque && runOf(opaque);
  const couldWrite =
    execRunBefore ||
    (opaque !== undefined && startOf(model, opaque) < before && (!opaqueRun || opaqueRun.exec));
  return couldWrite ? 'maybe' : 'no';
}

const execRunInChain = chainFact<boolean>(
  (stage, inherited) => inherited === true || stage.runs.some((r) => r.exec),
);

function isShell(instruction: Instruction): boolean {
  return keywordOf(instruction) === 'SHELL';
}

const shellInChain = chainFact<boolean>(
  (stage, inherited) => inherited === true || stage.instructions.some(isShell),
);

/** A SHELL instruction in force at an offset (in the stage before it, or inherited). */
function shellBefore(model: DockerfileModel, stage: Stage, before: number): boolean {
  if (stage.parent && shellInChain(stage.parent)) return true;
  return stage.instructions.some((i) => isShell(i) && startOf(model, i) < before);
}
