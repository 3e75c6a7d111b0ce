/**
 * The one reading of a `git clone` command: which repository it clones and the folder the clone
 * makes. The stage's file system (filesystem.ts) and the build-tool facts (a `make` in another
 * project's cloned tree, a RUN that fetches sources) read it from here.
 */
import { programName, type SimpleCommand } from './shell-types';
import { isAbsolute, join, trimTrailingSlashes } from '../text/posix-path';

export interface GitClone {
  /** The repository operand as written (`https://github.com/facebook/rocksdb.git`). */
  url: string;
  /**
   * The folder the clone makes, relative to the command's directory: the destination operand,
   * or the name git derives from the URL (its last part without `.git`: `rocksdb`), under the
   * folder `git -C DIR` runs git in (each later -C relative to the earlier ones).
   */
  dir: string;
  /** Whether the destination was written on the command line (else it is git's own name). */
  dirWritten: boolean;
}

/** git's options before the subcommand that take the next word as their value. */
const GIT_OPTIONS_WITH_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace']);

/** `git clone`'s options that take the next word as their value (`--depth 1`, `-b v1.2`). */
const CLONE_OPTIONS_WITH_VALUE = new Set([
  '-b',
  '--branch',
  '--depth',
  '-o',
  '--origin',
  '-c',
  '--config',
  '--reference',
  '--reference-if-able',
  '--filter',
  '-j',
  '--jobs',
  '-u',
  '--upload-pack',
  '--template',
  '--separate-git-dir',
  '--shallow-since',
  '--shallow-exclude',
  '--server-option',
  '--bundle-uri',
]);

/** The folder name git gives a clone of `url` (`git@host:org/repo.git` → `repo`). */
function cloneFolderName(url: string): string {
  const trimmed = trimTrailingSlashes(trimTrailingSlashes(url).replace(/\.git$/, ''));
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf(':'));
  return trimmed.slice(cut + 1);
}

/** The clone a command makes, or undefined when it is not a `git clone` with a repository. */
export function gitCloneOf(command: SimpleCommand): GitClone | undefined {
  if (programName(command.words[0]) !== 'git') return undefined;
  const words = command.words.map((word) => word.text);
  let base: string | undefined;
  let i = 1;
  for (; i < words.length && words[i].startsWith('-'); i++) {
    if (words[i] === '-C' && words[i + 1] !== undefined) {
      const dir = words[i + 1];
      base = base === undefined || isAbsolute(dir) ? dir : join(base, dir);
    }
    if (GIT_OPTIONS_WITH_VALUE.has(words[i])) i++;
  }
  if (words[i] !== 'clone') return undefined;
  const operands: string[] = [];
  let endOfOptions = false;
  for (i++; i < words.length; i++) {
    const word = words[i];
    if (!endOfOptions && word === '--') endOfOptions = true;
    else if (!endOfOptions && word.startsWith('-')) {
      if (CLONE_OPTIONS_WITH_VALUE.has(word)) i++;
    } else operands.push(word);
  }
  const [url, dir] = operands;
  if (url === undefined) return undefined;
  const folder = dir ?? cloneFolderName(url);
  return {
    url,
    dir: base === undefined || isAbsolute(folder) ? folder : join(base, folder),
    dirWritten: dir !== undefined,
  };
}
