/**
 * Users and groups: the `USER` value split into its parts, whether it means root, and the
 * accounts that `adduser`/`useradd`/`addgroup`/`groupadd` create in RUN instructions (so that a
 * name can be turned into the id the build gave it).
 */
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from './model';
import { programName, type SimpleCommand } from './shell';
import type { Range } from '../types';

/** One part (user or group) of a `USER` value. */
export interface UserPart {
  text: string;
  /** A decimal id: the runtime uses it as is, with or without an `/etc/passwd` entry. */
  numeric: boolean;
  /** The part uses a variable, so its value is not known here. */
  dynamic: boolean;
}

/** A `USER` instruction's value, split as the runtime splits it (`user[:group]`). */
export interface UserSpec {
  instruction: Instruction;
  /** The value as written (quotes kept). */
  raw: string;
  /** Range of the value in the document. */
  range: Range;
  user: UserPart;
  group?: UserPart;
}

function part(text: string): UserPart {
  return { text, numeric: /^\d+$/.test(text), dynamic: text.includes('$') };
}

function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.endsWith(text[0])) {
    return text.slice(1, -1);
  }
  return text;
}

/**
 * Parses the value of a `USER` instruction (undefined when it has none). `expanded` is the value
 * after ARG/ENV substitution, when the model knows it (`USER ${UID}` with `ARG UID=10001`).
 */
export function userSpec(instruction: Instruction, expanded?: string): UserSpec | undefined {
  let args;
  try {
    args = instruction.getArguments();
  } catch {
    return undefined;
  }
  if (args.length !== 1) return undefined;
  const raw = args[0].getValue();
  const value = unquote(
    (expanded !== undefined && !expanded.includes('$') ? expanded : raw).trim(),
  );
  if (value === '') return undefined;
  const colon = value.indexOf(':');
  return {
    instruction,
    raw,
    range: args[0].getRange(),
    user: part(colon < 0 ? value : value.slice(0, colon)),
    group: colon < 0 ? undefined : part(value.slice(colon + 1)),
  };
}

/** True when the user part means uid 0 (`root`, `0`, `00`). */
export function isRootUser(spec: UserSpec): boolean {
  const user = spec.user;
  if (user.dynamic) return false;
  return user.text === 'root' || (user.numeric && Number(user.text) === 0);
}

/** Accounts created by RUN instructions anywhere in the Dockerfile: name → id. */
export interface DeclaredAccounts {
  users: Map<string, number>;
  groups: Map<string, number>;
}

// Options that take a value, per tool (busybox and shadow spellings). The first operand after
// the options is the account name.
const VALUE_OPTIONS: Record<string, Set<string>> = {
  adduser: new Set([
    '-h',
    '-g',
    '-s',
    '-G',
    '-u',
    '-k',
    '--home',
    '--gecos',
    '--shell',
    '--ingroup',
    '--uid',
    '--gid',
    '--firstuid',
    '--lastuid',
    '--firstgid',
    '--lastgid',
    '--comment',
    '--add-extra-groups',
  ]),
  useradd: new Set([
    '-b',
    '-c',
    '-d',
    '-e',
    '-f',
    '-g',
    '-G',
    '-k',
    '-K',
    '-p',
    '-s',
    '-u',
    '-Z',
    '-R',
    '-P',
    '--base-dir',
    '--comment',
    '--home-dir',
    '--expiredate',
    '--inactive',
    '--gid',
    '--groups',
    '--skel',
    '--key',
    '--password',
    '--shell',
    '--uid',
    '--root',
    '--prefix',
    '--selinux-user',
  ]),
  addgroup: new Set(['-g', '--gid']),
  groupadd: new Set(['-g', '-K', '-p', '-R', '-P', '--gid', '--key', '--password', '--root']),
};

// The option that sets the new account's id.
const ID_OPTIONS: Record<string, Set<string>> = {
  adduser: new Set(['-u', '--uid']),
  useradd: new Set(['-u', '--uid']),
  addgroup: new Set(['-g', '--gid']),
  groupadd: new Set(['-g', '--gid']),
};

function accountOf(
  command: SimpleCommand,
): { tool: string; name: string; id?: number } | undefined {
  const tool = programName(command.words[0]);
  if (!tool || !(tool in VALUE_OPTIONS)) return undefined;
  const takesValue = VALUE_OPTIONS[tool];
  const idOptions = ID_OPTIONS[tool];
  let id: number | undefined;
  let name: string | undefined;
  const words = command.words.slice(1);
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (/^-[a-zA-Z]{2,}$/.test(word.text)) {
      // Clustered short options (`-Ds /bin/sh`): the first that takes a value takes the rest
      // of the cluster, or the next word.
      for (let k = 1; k < word.text.length; k++) {
        const option = `-${word.text[k]}`;
        if (!takesValue.has(option)) continue;
        const rest = word.text.slice(k + 1);
        const value = rest !== '' ? rest : words[++i]?.text;
        if (idOptions.has(option) && value !== undefined && /^\d+$/.test(value)) {
          id = Number(value);
        }
        break;
      }
      continue;
    }
    if (word.text.startsWith('-') && word.text.length > 1) {
      const eq = word.text.indexOf('=');
      const option = eq > 0 ? word.text.slice(0, eq) : word.text;
      let value: string | undefined;
      if (eq > 0) value = word.text.slice(eq + 1);
      else if (takesValue.has(option)) value = words[++i]?.text;
      else if (/^-[a-zA-Z]\d+$/.test(option) && idOptions.has(option.slice(0, 2))) {
        value = option.slice(2);
      }
      const key = /^-[a-zA-Z]\d+$/.test(option) ? option.slice(0, 2) : option;
      if (idOptions.has(key) && value !== undefined && /^\d+$/.test(value)) id = Number(value);
      continue;
    }
    if (word.dynamic) return undefined;
    name = word.text;
    break;
  }
  return name === undefined ? undefined : { tool, name, id };
}

/** A user account a RUN instruction creates (`adduser`, `useradd`). */
export interface CreatedUser {
  name: string;
  uid?: number;
  instruction: Instruction;
}

/** The user accounts that the RUN instructions of some stages create, in order. */
export function createdUsers(stages: readonly Stage[]): CreatedUser[] {
  const result: CreatedUser[] = [];
  for (const stage of stages) {
    for (const run of stage.runs) {
      for (const command of run.commands) {
        const account = accountOf(command);
        if (!account || (account.tool !== 'adduser' && account.tool !== 'useradd')) continue;
        result.push({ name: account.name, uid: account.id, instruction: run.instruction });
      }
    }
  }
  return result;
}

/** The users and groups that RUN instructions create with an explicit id. */
export function declaredAccounts(model: DockerfileModel): DeclaredAccounts {
  const users = new Map<string, number>();
  const groups = new Map<string, number>();
  for (const stage of model.stages) {
    for (const run of stage.runs) {
      for (const command of run.commands) {
        const account = accountOf(command);
        if (!account || account.id === undefined) continue;
        const isGroup = account.tool === 'addgroup' || account.tool === 'groupadd';
        (isGroup ? groups : users).set(account.name, account.id);
      }
    }
  }
  return { users, groups };
}
