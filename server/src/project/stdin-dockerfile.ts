/**
 * Where a build reads its Dockerfile from when it is given on standard input (`-f -`).
 */
import type { SimpleCommand } from '../core/model/shell';
import { substitute, type VariableScope } from './variables';

/**
 * The file a build given its Dockerfile on standard input reads there: `docker build -f - . <
 * FILE`, or `cat FILE | docker build -f - .`; undefined for anything else (a heredoc, a
 * generating command, several files).
 */
function stdinFile(
  commands: readonly SimpleCommand[],
  index: number,
  scope: VariableScope,
): string | null | undefined {
  const command = commands[index];
  const from = command.redirects.filter((r) => r.op === '<');
  if (from.length === 1 && from[0].target) return substitute(from[0].target.text, scope);
  if (from.length > 0 || command.redirects.some((r) => r.op.startsWith('<<'))) return undefined;
  const before = commands[index - 1];
  if (command.joinedBy !== '|' || !before || before.words[0]?.text !== 'cat') return undefined;
  // `cat FILE` alone: no option, one file.
  const file = before.words[1];
  if (before.words.length !== 2 || file.text.startsWith('-')) return undefined;
  return substitute(file.text, scope);
}

/** A build read with `-f -`, with the file piped or redirected to it as its Dockerfile. */
export function withStdinFile<B extends { dockerfile?: string | null }>(
  build: B,
  stdin: boolean | undefined,
  commands: readonly SimpleCommand[],
  index: number,
  scope: VariableScope,
): B {
  const file = stdin ? stdinFile(commands, index, scope) : undefined;
  return file ? { ...build, dockerfile: file } : build;
}
