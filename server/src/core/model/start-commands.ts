/** CMD, ENTRYPOINT and HEALTHCHECK CMD in the model: exec form with each string's place, or shell form. */
import type { Healthcheck, Instruction } from 'dockerfile-ast';
import { jsonStrings } from './command-words';
import { execForm, joinContinuations, logicalArguments } from './instruction-text';
import type { DockerfileModel, StartCommand } from './types';

export function startCommand(
  model: DockerfileModel,
  instruction: Instruction,
  keyword: 'CMD' | 'ENTRYPOINT',
): StartCommand | undefined {
  const logical = logicalArguments(instruction, model.index, model.escapeChar);
  if (!logical) return undefined;
  return commandFrom(model, instruction, keyword, logical.text, logical.start, logical.end);
}

function commandFrom(
  model: DockerfileModel,
  instruction: Instruction,
  keyword: StartCommand['keyword'],
  text: string,
  start: number,
  end: number,
): StartCommand {
  const range = model.index.rangeOf(start, end);
  const argv = execForm(text);
  if (argv) {
    const strings = jsonStrings(model.text, start, end);
    if (strings && strings.length === argv.length) {
      return {
        instruction,
        keyword,
        exec: argv.map((t, i) => ({
          text: t,
          range: model.index.rangeOf(strings[i].start, strings[i].end),
        })),
        range,
      };
    }
    return { instruction, keyword, exec: argv.map((t) => ({ text: t, range })), range };
  }
  return { instruction, keyword, shell: text, range };
}

export function healthcheckCommand(
  model: DockerfileModel,
  instruction: Healthcheck,
): StartCommand | undefined {
  const sub = instruction.getSubcommand();
  if (!sub || sub.getValue().toUpperCase() !== 'CMD') return undefined;
  const start = model.index.offsetAt(sub.getRange().end);
  const end = model.index.offsetAt(instruction.getRange().end);
  const raw = model.text.slice(start, end);
  const text = joinContinuations(raw, model.escapeChar);
  const leading = text.length - text.trimStart().length;
  return commandFrom(model, instruction, 'HEALTHCHECK', text.trim(), start + leading, end);
}
