/**
 * Package manager commands of a RUN (`apk add`, `apt-get install`, `dnf remove`, ...): which
 * manager, whether they install or remove, and the package words, options and their values
 * left out.
 */
import { programName, type SimpleCommand, type Word } from './shell';

export type PackageManager = 'apk' | 'apt-get' | 'dnf';

export interface PackageCommand {
  manager: PackageManager;
  action: 'install' | 'remove' | 'other';
  /** The package words, versions included (`ffmpeg=6.1-r0`). */
  names: Word[];
  /** `apk add --virtual NAME`: a group of build dependencies. */
  virtual: boolean;
}

// Options that take the next word as their value.
const VALUE_OPTIONS: Record<PackageManager, Set<string>> = {
  apk: new Set([
    '-t',
    '--virtual',
    '-X',
    '--repository',
    '-p',
    '--root',
    '--arch',
    '--cache-dir',
    '--keys-dir',
    '--repositories-file',
  ]),
  'apt-get': new Set(['-o', '-t', '--target-release', '-c', '--config-file']),
  dnf: new Set(['--repo', '--enablerepo', '--disablerepo', '--setopt', '--releasever', '-x']),
};

const INSTALL_VERBS: Record<PackageManager, Set<string>> = {
  apk: new Set(['add']),
  'apt-get': new Set(['install']),
  dnf: new Set(['install']),
};

const REMOVE_VERBS: Record<PackageManager, Set<string>> = {
  apk: new Set(['del']),
  'apt-get': new Set(['remove', 'purge']),
  dnf: new Set(['remove', 'erase']),
};

function managerOf(command: SimpleCommand): PackageManager | undefined {
  switch (programName(command.words[0])) {
    case 'apk':
      return 'apk';
    case 'apt-get':
    case 'apt':
    case 'aptitude':
      return 'apt-get';
    case 'dnf':
    case 'yum':
    case 'microdnf':
      return 'dnf';
    default:
      return undefined;
  }
}

/** The package manager command `command` runs, if it runs one. */
export function packageCommand(command: SimpleCommand): PackageCommand | undefined {
  const manager = managerOf(command);
  if (!manager) return undefined;
  const words = command.words;
  let verb: string | undefined;
  const parsed: PackageCommand = { manager, action: 'other', names: [], virtual: false };
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    if (word.text.startsWith('-')) {
      const option = word.text.split('=')[0];
      if (option === '-t' || option === '--virtual') parsed.virtual ||= manager === 'apk';
      if (!word.text.includes('=') && VALUE_OPTIONS[manager].has(option)) i++;
      continue;
    }
    if (verb === undefined) verb = word.text;
    else parsed.names.push(word);
  }
  if (verb !== undefined && INSTALL_VERBS[manager].has(verb)) parsed.action = 'install';
  if (verb !== undefined && REMOVE_VERBS[manager].has(verb)) parsed.action = 'remove';
  return parsed;
}

/** A package name without its version, release or architecture (`ffmpeg=6.1-r0` → `ffmpeg`). */
export function packageName(text: string): string {
  const cut = text.search(/[=<>~:/]/);
  return cut > 0 ? text.slice(0, cut) : text;
}
