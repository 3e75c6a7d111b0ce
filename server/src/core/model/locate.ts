/**
 * Finds where the commands of a RUN start in the document, so fixes can insert text (such as
 * `CGO_ENABLED=0 `) exactly before a command. The commands come from the shell tokenizer; here
 * their first words are looked up, in order, in the instruction's text.
 */
import type { DockerfileModel, RunInfo } from './model';
import { instructionArguments } from './instruction-text';
import { heredocsOf } from './instruction-text';

const BOUNDARY_BEFORE = new Set([
  ' ',
  '\t',
  '\n',
  '\r',
  ';',
  '&',
  '|',
  '(',
  '!',
  '{',
  '"',
  "'",
  '`',
]);

function firstToken(run: RunInfo, index: number): string | undefined {
  const command = run.commands[index];
  if (!command) return undefined;
  if (command.assignments.length > 0) return command.assignments[0].name + '=';
  return command.words[0]?.text;
}

/**
 * Document offsets where each of the RUN's commands starts (undefined for a command that could
 * not be found, in which case no fix should edit it).
 */
export function commandOffsets(model: DockerfileModel, run: RunInfo): (number | undefined)[] {
  const args = instructionArguments(run.instruction);
  if (args.length === 0) return run.commands.map(() => undefined);
  let start = model.index.offsetAt(args[0].getRange().start);
  let end = model.index.offsetAt(run.instruction.getRange().end);
  if (run.heredoc) {
    const heredocs = heredocsOf(run.instruction, model.index);
    const body = heredocs[0];
    if (body && run.script === body.body) {
      start = model.index.offsetAt(body.range.start);
      end = model.index.offsetAt(body.range.end);
    }
  }
  if (run.exec) return run.commands.map((_, i) => (i === 0 ? start : undefined));
  const text = model.text;
  const offsets: (number | undefined)[] = [];
  let cursor = start;
  for (let i = 0; i < run.commands.length; i++) {
    const token = firstToken(run, i);
    let found: number | undefined;
    if (token) {
      let at = text.indexOf(token, cursor);
      while (at >= 0 && at < end) {
        const before = at === start ? ' ' : text[at - 1];
        const after = text[at + token.length];
        const endsWord = token.endsWith('=') || after === undefined || /[\s;&|)]/.test(after);
        if (BOUNDARY_BEFORE.has(before) && endsWord) {
          found = at;
          break;
        }
        at = text.indexOf(token, at + 1);
      }
    }
    offsets.push(found);
    if (found !== undefined) cursor = found + (token?.length ?? 0);
  }
  return offsets;
}
