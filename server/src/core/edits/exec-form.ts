/**
 * Rewriting a shell-form command to exec form. Only sound when the command uses nothing a shell
 * would interpret: exec form runs the program directly, without variable expansion, operators,
 * redirections or globbing.
 */
import { parseScript } from '../model/shell';
import type { Range, TextEdit } from '../types';
import { replaceRange } from './fixer';

export type ExecFormResult = { ok: true; argv: string[] } | { ok: false; reason: string };

/** The exec-form argv of a shell-form command, or why it needs a shell. */
export function toExecForm(shellText: string): ExecFormResult {
  const parsed = parseScript(shellText);
  if (parsed.commands.length === 0) return { ok: false, reason: 'the command is empty' };
  if (parsed.commands.length > 1) {
    return { ok: false, reason: 'it chains commands (`&&`, `;`, `|`), which needs a shell' };
  }
  const command = parsed.commands[0];
  if (command.assignments.length > 0) {
    return { ok: false, reason: 'it sets variables before the command, which needs a shell' };
  }
  if (command.redirects.length > 0) {
    return { ok: false, reason: 'it redirects input or output, which needs a shell' };
  }
  for (const word of command.words) {
    if (word.dynamic) {
      return { ok: false, reason: `it expands variables (\`${word.text}\`), which needs a shell` };
    }
    if (word.glob)
      return { ok: false, reason: `it uses a glob (\`${word.text}\`), which needs a shell` };
    if (word.text.startsWith('~')) return { ok: false, reason: 'it uses `~`, which needs a shell' };
  }
  if (parsed.opaque) return { ok: false, reason: 'it uses shell syntax' };
  return { ok: true, argv: command.words.map((w) => w.text) };
}

/** Formats an argv as a Dockerfile JSON array. */
export function formatExecForm(argv: readonly string[]): string {
  return '[' + argv.map((a) => JSON.stringify(a)).join(', ') + ']';
}

/** An edit writing an argv in exec form over `range` (the shell-form command it replaces). */
export function execFormEdit(range: Range, argv: readonly string[]): TextEdit {
  return replaceRange(range, formatExecForm(argv));
}
