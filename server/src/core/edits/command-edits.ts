/**
 * Word-level edits of a located command (see model/command-words.ts): insert words after a
 * word, remove words, replace a run of words, and quote a value for where it goes (shell form,
 * exec form, inside `sh -c "..."`). Removals take the gap before the word with it, so line
 * continuations after the word stay attached to what precedes it and two removals of
 * neighbouring words never overlap.
 */
import { commandOffsets, type LocatedCommand } from '../model/command-words';
import type { DockerfileModel, RunInfo } from '../model/model';
import type { TextEdit } from '../types';
import { insertAtOffset, removeSpan, replaceSpan } from './fixer';

/** Text safe to write without quotes in a shell word. */
const PLAIN = /^[A-Za-z0-9_\-.,=/:@+%]+$/;

/**
 * A value as one shell word (or JSON string in exec form), quoted with what the context
 * allows; undefined when it cannot be written safely.
 */
export function quoteWord(command: LocatedCommand, value: string): string | undefined {
  if (command.exec) return JSON.stringify(value);
  if (PLAIN.test(value)) return value;
  // Inside `sh -c "..."` the inner quotes must be single ones, and the other way round.
  if (command.enclosingQuote === '"') return value.includes("'") ? undefined : `'${value}'`;
  if (/["\\$`]/.test(value)) return value.includes("'") ? undefined : `'${value}'`;
  return `"${value}"`;
}

/** Inserts words right after word `index` (`go build` + ` -trimpath`). */
export function insertAfter(
  model: DockerfileModel,
  command: LocatedCommand,
  index: number,
  values: string[],
): TextEdit | undefined {
  const word = command.words[index];
  if (!word) return undefined;
  const quoted = values.map((v) => quoteWord(command, v));
  if (quoted.some((q) => q === undefined)) return undefined;
  const text = command.exec ? quoted.map((q) => `, ${q}`).join('') : ' ' + quoted.join(' ');
  return insertAtOffset(model, word.end, text);
}

/** The gap before word `index` holds a comment line (dropped by BuildKit, kept by us). */
function gapHasComment(model: DockerfileModel, from: number, to: number): boolean {
  return /(^|[\r\n])[ \t]*#/.test(model.text.slice(from, to));
}

/**
 * Removes the words `first..last` (inclusive) with the gap before them; undefined when that
 * would drop a comment line or when the words open the command.
 */
export function removeWords(
  model: DockerfileModel,
  command: LocatedCommand,
  first: number,
  last: number,
): TextEdit | undefined {
  const words = command.words;
  if (first <= 0 || last >= words.length || first > last) {
    // The first word of a command: take the blanks after it instead.
    if (first !== 0 || last + 1 >= words.length) return undefined;
    const start = words[0].start;
    const end = words[last + 1].start;
    if (gapHasComment(model, words[last].end, end)) return undefined;
    if (/[\r\n]/.test(model.text.slice(words[last].end, end))) return undefined;
    return removeSpan(model, start, end);
  }
  const start = words[first - 1].end;
  const end = words[last].end;
  if (gapHasComment(model, start, words[first].start)) return undefined;
  return removeSpan(model, start, end);
}

/** Replaces the words `first..last` (inclusive) with text written in the command's form. */
export function replaceWords(
  model: DockerfileModel,
  command: LocatedCommand,
  first: number,
  last: number,
  values: string[],
): TextEdit | undefined {
  const words = command.words;
  if (first < 0 || last >= words.length || first > last) return undefined;
  const quoted = values.map((v) => quoteWord(command, v));
  if (quoted.some((q) => q === undefined)) return undefined;
  const start = words[first].start;
  const end = words[last].end;
  if (gapHasComment(model, start, end)) return undefined;
  return replaceSpan(model, start, end, quoted.join(command.exec ? ', ' : ' '));
}

/** Replaces one word of a command with a value written in the command's form. */
export function replaceWord(
  model: DockerfileModel,
  command: LocatedCommand,
  index: number,
  value: string,
): TextEdit | undefined {
  return replaceWords(model, command, index, index, [value]);
}

/**
 * Inserts text right before the RUN's `commandIndex`-th command (`CGO_ENABLED=0 ` + `go build`);
 * undefined when that command cannot be located with certainty.
 */
export function insertBeforeCommand(
  model: DockerfileModel,
  run: RunInfo,
  commandIndex: number,
  text: string,
): TextEdit | undefined {
  const offset = commandOffsets(model, run)[commandIndex];
  return offset === undefined ? undefined : insertAtOffset(model, offset, text);
}
