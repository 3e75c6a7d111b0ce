/**
 * Users and groups: the `USER` value split into its parts, whether it means root, and the
 * accounts that `adduser`/`useradd`/`addgroup`/`groupadd` create in RUN instructions (so that a
 * name can be turned into the id the build gave it).
 * Computed on each call.
 */
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, RunInfo, Stage } from '../model/model';
import { commandOffsets } from '../model/command-words';
import { oneBasedLine } from '../text/line-index';
import { programName, type SimpleCommand } from '../model/shell';
import type { Fix, Range } from '../types';
import { unquote } from '../text/quotes';
import { expand, type Scope } from '../model/variables';
import { stageChain } from './start';

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
/**
 * The quick fix that writes the USER value with numeric ids (`replacement`, `10001:10001`), the
 * same account spelled by id: safe only when the ids are `certain` to be this image's.
 */
export function numericUserFix(spec: UserSpec, replacement: string, certain: boolean): Fix {
  return {
    title: `Use the numeric USER ${replacement}`,
    kind: 'quickfix',
    isPreferred: true,
    safe: certain,
    edits: [{ range: spec.range, newText: replacement }],
  };
}

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

// The long options that take no value, per tool: with the ones above, what an abbreviation
// (`--home` for useradd's `--home-dir`: getopt_long and Perl's Getopt::Long take any unambiguous
// prefix) is checked against.
const FLAG_OPTIONS: Record<string, readonly string[]> = {
  adduser: [
    '--system',
    '--group',
    '--no-create-home',
    '--disabled-password',
    '--disabled-login',
    '--quiet',
    '--debug',
    '--force-badname',
    '--allow-badname',
    '--allow-all-names',
    '--encrypt-home',
  ],
  useradd: [
    '--badname',
    '--btrfs-subvolume-home',
    '--defaults',
    '--help',
    '--no-log-init',
    '--create-home',
    '--no-create-home',
    '--no-user-group',
    '--non-unique',
    '--system',
    '--user-group',
    '--add-subids-for-system',
  ],
  addgroup: ['--system', '--quiet', '--debug', '--force-badname', '--allow-badname'],
  groupadd: ['--force', '--help', '--non-unique', '--system'],
};

/** A long option as written or abbreviated, as the tool reads it (the unique option it starts). */
function longOption(tool: string, written: string): string {
  if (!written.startsWith('--') || VALUE_OPTIONS[tool].has(written)) return written;
  const options = [...VALUE_OPTIONS[tool], ...FLAG_OPTIONS[tool]].filter((o) => o.startsWith('--'));
  if (options.includes(written)) return written;
  const matches = options.filter((option) => option.startsWith(written));
  return matches.length === 1 ? matches[0] : written;
}

// The option that sets the new account's id.
const ID_OPTIONS: Record<string, Set<string>> = {
  adduser: new Set(['-u', '--uid']),
  useradd: new Set(['-u', '--uid']),
  addgroup: new Set(['-g', '--gid']),
  groupadd: new Set(['-g', '--gid']),
};

// An id given as one variable (`-u ${APP_UID}`, `--uid=$UID`).
const ID_VARIABLE = /^\$(?:\{[A-Za-z_]\w*\}|[A-Za-z_]\w*)$/;

/**
 * An account written as a line of an account file (`echo "app:x:1000:1000::/home/app:/sbin/nologin"
 * > /tmp/passwd`, `>> /etc/group`): a file named `passwd` or `group` (or with such a part:
 * `minimal-passwd`) that a later COPY may put in /etc. As `adduser` (for passwd) or `addgroup` (for group) would create it.
 */
function accountLine(
  command: SimpleCommand,
): { tool: string; name: string; id?: number } | undefined {
  const tool = programName(command.words[0]);
  if (tool !== 'echo' && tool !== 'printf') return undefined;
  const target = command.redirects.find((r) => r.op === '>' || r.op === '>>')?.target;
  const written = target && !target.dynamic ? programName(target) : undefined;
  // `passwd`, or a part of the name (`minimal-passwd`, `passwd.nonroot`: litestream copies its
  // `/etc/minimal-passwd` to /etc/passwd in the image).
  const file =
    written && /(?:^|[-_.])passwd(?:[-_.]|$)/.test(written)
      ? 'passwd'
      : written && /(?:^|[-_.])group(?:[-_.]|$)/.test(written)
        ? 'group'
        : undefined;
  if (file === undefined) return undefined;
  const line = command.words
    .slice(1)
    .map((w) => w.text)
    .find((text) => /^[A-Za-z_][\w.-]*:[^:]*:\d+:/.test(text));
  if (line === undefined) return undefined;
  const [name, , id] = line.split(':');
  return { tool: file === 'passwd' ? 'adduser' : 'addgroup', name, id: Number(id) };
}

function accountOf(
  command: SimpleCommand,
  scope: Scope,
): { tool: string; name: string; id?: number; idVariable?: string } | undefined {
  const tool = programName(command.words[0]);
  if (tool === 'echo' || tool === 'printf') return accountLine(command);
  if (!tool || !(tool in VALUE_OPTIONS)) return undefined;
  const takesValue = VALUE_OPTIONS[tool];
  const idOptions = ID_OPTIONS[tool];
  let id: number | undefined;
  let idVariable: string | undefined;
  let name: string | undefined;
  const setId = (value: string | undefined) => {
    if (value !== undefined && /^\d+$/.test(value)) id = Number(value);
    else if (value !== undefined && ID_VARIABLE.test(value)) idVariable = value;
  };
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
        if (idOptions.has(option)) setId(value);
        break;
      }
      continue;
    }
    if (word.text.startsWith('-') && word.text.length > 1) {
      const eq = word.text.indexOf('=');
      const option = longOption(tool, eq > 0 ? word.text.slice(0, eq) : word.text);
      let value: string | undefined;
      if (eq > 0) value = word.text.slice(eq + 1);
      else if (takesValue.has(option)) value = words[++i]?.text;
      else if (/^-[a-zA-Z]\d+$/.test(option) && idOptions.has(option.slice(0, 2))) {
        value = option.slice(2);
      }
      const key = /^-[a-zA-Z]\d+$/.test(option) ? option.slice(0, 2) : option;
      if (idOptions.has(key)) setId(value);
      continue;
    }
    // A name from the stage's ARG or ENV (`ARG USER=athens`, `adduser -D $USER`) is its value.
    const expanded = word.dynamic ? expand(word.text, scope) : undefined;
    if (expanded && (!expanded.complete || expanded.value === '' || expanded.value.includes('$')))
      return undefined;
    name = expanded ? expanded.value : word.text;
    break;
  }
  return name === undefined ? undefined : { tool, name, id, idVariable };
}

/** A user account a RUN instruction creates (`adduser`, `useradd`). */
export interface CreatedUser {
  name: string;
  uid?: number;
  /** The uid given as one variable, as written (`${APP_UID}`), when it is not a number. */
  uidVariable?: string;
  instruction: Instruction;
  /** The RUN, and the position of the command among its commands. */
  run: RunInfo;
  commandIndex: number;
}

/** The one-based line of the command that creates the account (in a RUN of several lines). */
export function createdLine(model: DockerfileModel, created: CreatedUser): number {
  const offset = commandOffsets(model, created.run)[created.commandIndex];
  return offset === undefined
    ? oneBasedLine(created.instruction.getRange())
    : model.index.positionAt(offset).line + 1;
}

function createdAccounts(stages: readonly Stage[], groups: boolean): CreatedUser[] {
  const result: CreatedUser[] = [];
  for (const stage of stages) {
    for (const run of stage.runs) {
      for (const [commandIndex, command] of run.commands.entries()) {
        const account = accountOf(command, run.env);
        if (!account) continue;
        const isGroup = account.tool === 'addgroup' || account.tool === 'groupadd';
        if (isGroup !== groups) continue;
        result.push({
          name: account.name,
          uid: account.id,
          uidVariable: account.idVariable,
          instruction: run.instruction,
          run,
          commandIndex,
        });
      }
    }
  }
  return result;
}

/** The user accounts that the RUN instructions of some stages create, in order. */
export function createdUsers(stages: readonly Stage[]): CreatedUser[] {
  return createdAccounts(stages, false);
}

/** The groups that the RUN instructions of some stages create, in order (`uid` is the gid). */
export function createdGroups(stages: readonly Stage[]): CreatedUser[] {
  return createdAccounts(stages, true);
}

/** The users and groups that RUN instructions create with an explicit id. */
export function declaredAccounts(model: DockerfileModel): DeclaredAccounts {
  const users = new Map<string, number>();
  const groups = new Map<string, number>();
  for (const stage of model.stages) {
    for (const run of stage.runs) {
      for (const command of run.commands) {
        const account = accountOf(command, run.env);
        if (!account || account.id === undefined) continue;
        const isGroup = account.tool === 'addgroup' || account.tool === 'groupadd';
        (isGroup ? groups : users).set(account.name, account.id);
      }
    }
  }
  return { users, groups };
}

/**
 * Ids that names stand for by convention: root everywhere, distroless's and Chainguard's
 * `nonroot`, `nobody`/`nogroup` on Debian, Ubuntu, alpine and busybox.
 */
export const CONVENTIONAL_IDS: Readonly<Record<string, number>> = {
  root: 0,
  nonroot: 65532,
  nobody: 65534,
  nogroup: 65534,
};

// Bases whose /etc/passwd and /etc/group give `nobody` (and `nogroup`) the id 65534. Older
// RHEL-family images give nobody 99, so they are not listed.
const NOBODY_65534 = new Set([
  'golang',
  'alpine',
  'busybox',
  'distroless',
  'chainguard-static',
  'chainguard-glibc',
  'chainguard-go',
]);
const DEBIAN_REPOSITORIES = /(^|\/)(debian|ubuntu|buildpack-deps)$/;

/**
 * The id the stage's base image gives a user or group name it ships with (`nonroot` on
 * distroless and Chainguard, `nobody` on Debian, Ubuntu, alpine, busybox and golang), when the
 * Dockerfile does not replace the base's account files. Undefined when not known.
 */
export function baseAccountId(stage: Stage, name: string): number | undefined {
  let root: Stage = stage;
  while (root.parent) root = root.parent;
  const family = stage.facts.family;
  // Account files copied in (or all of /etc): the base's accounts may not be the ones that hold.
  // A copy into / of files the analysis cannot name is not taken to bring them.
  for (const file of ['/etc/passwd', '/etc/group']) {
    const entry = stage.fs.lookup(file).entry;
    if (entry?.origin === 'copy' && entry.path !== '/') return undefined;
  }
  if (name === 'root') return 0;
  if (name === 'nonroot') {
    return family === 'distroless' || family.startsWith('chainguard') ? 65532 : undefined;
  }
  if (name === 'nobody' || name === 'nogroup') {
    // The golang images on Debian have Debian's nogroup; on alpine, nogroup is 65533.
    const debian =
      (family === 'debian-like' && DEBIAN_REPOSITORIES.test(root.base?.repository ?? '')) ||
      (family === 'golang' && stage.facts.libc === 'glibc');
    if (name === 'nogroup' && !debian) return undefined;
    return debian || NOBODY_65534.has(family) ? 65534 : undefined;
  }
  return undefined;
}

/**
 * Whether the names of a USER cannot be resolved in a scratch stage: a user name without an
 * /etc/passwd, a group name without an /etc/group. named-user-in-scratch reports these (the
 * container does not start); other rules about USER names leave them to it.
 */
export function unresolvedNamesInScratch(
  stage: Stage,
  spec: UserSpec,
): { user: boolean; group: boolean } {
  const none = { user: false, group: false };
  if (stage.facts.family !== 'scratch' || spec.user.dynamic || spec.group?.dynamic) return none;
  return {
    user: !spec.user.numeric && stage.fs.lookup('/etc/passwd').presence === 'no',
    group:
      spec.group !== undefined &&
      !spec.group.numeric &&
      stage.fs.lookup('/etc/group').presence === 'no',
  };
}

/** A name's id, where it comes from, and whether the numeric form is surely the same account. */
export interface KnownId {
  id: number;
  /** A clause for the message: `created with uid 10001 on line 5`. */
  source: string;
  certain: boolean;
}

/**
 * The stages whose accounts the image has: the stage and those it is built on, then the stage its
 * account file (`/etc/passwd`, `/etc/group`) was copied from, and the stages that one is built on.
 */
function accountStages(stage: Stage, file: string): Stage[] {
  const stages = stageChain(stage).reverse();
  const entry = stage.fs.lookup(file).entry;
  if (entry?.origin !== 'copy' || entry.path === '/') return stages;
  const copy = stageChain(stage)
    .flatMap((s) => s.copies)
    .find((c) => c.instruction === entry.instruction);
  const from = copy?.from?.target.kind === 'stage' ? copy.from.target.stage : undefined;
  return from ? [...stages, ...stageChain(from).reverse()] : stages;
}

/** The last account of that name the RUNs of the image's account stages create. */
export function createdAccount(
  stage: Stage,
  name: string,
  kind: 'users' | 'groups',
): CreatedUser | undefined {
  const stages = accountStages(stage, kind === 'users' ? '/etc/passwd' : '/etc/group');
  return (kind === 'users' ? createdUsers(stages) : createdGroups(stages))
    .filter((a) => a.name === name)
    .pop();
}

/** The id of a user or group name as the final image has it, when the Dockerfile or base tells. */
export function accountId(
  model: DockerfileModel,
  stage: Stage,
  name: string,
  kind: 'users' | 'groups',
): KnownId | undefined {
  const created = createdAccount(stage, name, kind);
  if (created) {
    if (created.uid === undefined) return undefined;
    return {
      id: created.uid,
      source: `created with id ${created.uid} on line ${createdLine(model, created)}`,
      certain: true,
    };
  }
  const base = baseAccountId(stage, name);
  if (base !== undefined) {
    return { id: base, source: `${name}'s id in the base image`, certain: true };
  }
  // Created in a stage the image's account files do not come from, as far as is known.
  const declared = declaredAccounts(model)[kind].get(name);
  if (declared !== undefined) {
    return { id: declared, source: `created with id ${declared} in another stage`, certain: false };
  }
  return undefined;
}
