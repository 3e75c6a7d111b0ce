/**
 * The user the runtime image runs as. The converted image must run the program the same way, so:
 *
 * - an original that ran as root gets the non-root user 65532 only when the program can run as
 *   it: its sources write nothing, or only below its working directory (which the runtime then
 *   creates as that user's, with the files copied into it owned by it) or to the temporary
 *   directory, and it does not bind a port below 1024. Otherwise (a write elsewhere, a write the
 *   sources do not name, unread sources) it keeps running as root, and the file says why;
 * - an original that ran as a user of its own keeps that user where the runtime can have it
 *   (alpine and Debian create it; distroless and scratch know only numeric ids, so a name becomes
 *   65532), and when the program writes, its working directory and files are that user's.
 */
import type { Instruction } from 'dockerfile-ast';
import type { ProgramNeeds } from '../facts/program-needs';
import { PRIVATE_KEYS, privilegedPorts, rootByDesign } from '../facts/root-needs';
import { runsFromRootHome, startRootHomePath } from '../facts/user-switch';
import {
  describeWrites,
  hostMountedWrite,
  writeScope,
  type WriteScope,
} from '../facts/program-writes';
import { isWithin, resolve } from '../text/posix-path';
import { accountId } from '../facts/users';
import { installsWithApt } from './packages';
import type { UserPlan } from './parts';
import { keywordOf, Refusal, type Plan } from './plan';

/** The non-root user the conversion gives programs that ran as root. */
export const NONROOT = '65532:65532';

// Users alpine's and Debian's base images already have: `adduser nobody` would fail there.
const ALPINE_USERS = new Set([
  'root',
  'bin',
  'daemon',
  'adm',
  'lp',
  'sync',
  'shutdown',
  'halt',
  'mail',
  'news',
  'uucp',
  'operator',
  'man',
  'postmaster',
  'cron',
  'ftp',
  'sshd',
  'at',
  'squid',
  'xfs',
  'games',
  'cyrus',
  'vpopmail',
  'ntp',
  'smmsp',
  'guest',
  'nobody',
]);
const DEBIAN_USERS = new Set([
  'root',
  'daemon',
  'bin',
  'sys',
  'sync',
  'games',
  'man',
  'lp',
  'mail',
  'news',
  'uucp',
  'proxy',
  'www-data',
  'backup',
  'list',
  'irc',
  'gnats',
  '_apt',
  'nobody',
]);

// Paths a program may read that the runtime provides itself, or that any user may read.
const READABLE_SYSTEM_PATHS = [
  '/proc',
  '/sys',
  '/dev',
  '/tmp',
  '/etc/ssl',
  '/etc/hosts',
  '/etc/hostname',
  '/etc/resolv.conf',
  '/etc/localtime',
  '/etc/timezone',
  '/etc/os-release',
  '/etc/passwd',
  '/etc/group',
  '/etc/nsswitch.conf',
  '/usr/share/zoneinfo',
  '/var/run/secrets',
];

/**
 * Why a file the program reads may be root's, as a clause: a key in /etc/ssl/private, or a file
 * the image does not hold (mounted at run time, owned by whoever mounts it: TLS keys, sockets).
 */
function rootOnlyRead(plan: Plan, needs: ProgramNeeds | undefined): string | undefined {
  for (const named of needs?.namedPaths ?? []) {
    if (!named.access || !named.path.startsWith('/') || /[*?[]/.test(named.path)) continue;
    const path = resolve('/', named.path);
    if (isWithin(path, PRIVATE_KEYS)) {
      return `it reads ${named.path} (${named.where}) in ${PRIVATE_KEYS}, a folder only root and the ssl-cert group may enter`;
    }
    if (READABLE_SYSTEM_PATHS.some((p) => isWithin(path, p))) continue;
    // Not written by the Dockerfile: present, or maybe inside a tree a COPY brought (an opaque
    // `make` or package install is not taken to write it).
    const found = plan.stage.fs.lookup(path);
    if (found.presence === 'yes' || (found.presence === 'maybe' && found.entry)) continue;
    return `it reads ${named.path} (${named.where}), which the image does not hold: a file mounted at run time may be readable by root only`;
  }
  return undefined;
}

const DISTROLESS_USERS = new Set(['nonroot', 'nobody']);
const DISTROLESS_GROUPS = new Set(['nonroot', 'nobody', 'root', 'tty', 'staff']);

/** The USER line of the runtime for an original USER, and what creates that user. */
function mappedUser(
  plan: Plan,
  instruction: Instruction,
): { line: string; setup?: string; owner: string } {
  const original = plan.text(instruction).split(/\r?\n/)[0];
  const value = original.replace(/^\S+\s+/, '').trim();
  const user = value.split(':')[0];
  const numeric = /^\d+$/.test(user);
  const line = `${plan.kw('USER')} ${value}`;
  if (numeric || user === 'root') return { line, owner: value };
  if (plan.runtime.family === 'alpine') {
    // alpine has no such user until it is created (unless it is one of its own).
    const setup = ALPINE_USERS.has(user) ? undefined : `${plan.kw('RUN')} adduser -D -H ${user}`;
    return { line, setup, owner: value };
  }
  if (installsWithApt(plan)) {
    const setup = DEBIAN_USERS.has(user)
      ? undefined
      : `${plan.kw('RUN')} useradd --system --no-create-home ${user}`;
    return { line, setup, owner: value };
  }
  // distroless's /etc/passwd has nonroot (65532) and nobody (65534); its /etc/group has those,
  // root, tty and staff.
  const group = value.split(':')[1];
  if (
    plan.runtime.family === 'distroless' &&
    DISTROLESS_USERS.has(user) &&
    (group === undefined || /^\d+$/.test(group) || DISTROLESS_GROUPS.has(group))
  ) {
    return { line, owner: value };
  }
  const missing =
    plan.runtime.family === 'distroless' && DISTROLESS_USERS.has(user)
      ? `group "${group}"`
      : `user "${user}"`;
  // The ids the original image gave the names keep the same owner of every file.
  const ids = [
    originalId(plan, user, 'users'),
    group === undefined ? undefined : originalId(plan, group, 'groups'),
  ];
  if (ids[0] !== undefined && (group === undefined || ids[1] !== undefined)) {
    const numeric = group === undefined ? `${ids[0]}` : `${ids[0]}:${ids[1]}`;
    const same = group === undefined ? 'the id the original image gave it' : 'the same ids';
    plan.notes.push(
      `USER ${value} became ${numeric}, ${same}: ${plan.runtimeImage} has no ${missing}.`,
    );
    return {
      line: `# ${original}: ${plan.runtimeImage} has no ${missing}; ${same}${plan.eol}${plan.kw('USER')} ${numeric}`,
      owner: numeric,
    };
  }
  plan.notes.push(`USER ${value} became ${NONROOT}: ${plan.runtimeImage} has no ${missing}.`);
  return {
    line: `# ${original}: ${plan.runtimeImage} has no ${missing}${plan.eol}${plan.kw('USER')} ${NONROOT}`,
    owner: NONROOT,
  };
}

/**
 * The id a user or group name surely has in the original image: a number as written, or the
 * id facts/users.ts knows for it (an account a RUN creates with an explicit id, or one the base
 * image ships with: `nobody`, `nogroup`).
 */
function originalId(plan: Plan, name: string, kind: 'users' | 'groups'): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  const known = accountId(plan.model, plan.stage, name, kind);
  return known?.certain ? known.id : undefined;
}

/** The root variant of a distroless `:nonroot` image (`…:nonroot` → `…`, `:debug-nonroot` → `:debug`). */
function rootVariant(image: string): string {
  return image.replace(/:nonroot$/, '').replace(/-nonroot$/, '');
}

/**
 * How the program depends on root's home, which other users cannot enter (mode 0700): it starts
 * from there or works there, or its start command or script gives it a path there.
 */
function rootHomeUse(plan: Plan): string | undefined {
  const { model, stage } = plan;
  const how = runsFromRootHome(stage);
  if (how !== undefined) return `it ${how} root's home (/root), which other users cannot enter`;
  const named = startRootHomePath(model, stage);
  return named === undefined
    ? undefined
    : `${named.where} gives it \`${named.path}\` in root's home, which other users cannot enter`;
}

/** Why a program that ran as root must keep running as root, if it must. */
function rootReason(
  plan: Plan,
  needs: ProgramNeeds | undefined,
  scope: WriteScope,
): string | undefined {
  const { stage } = plan;
  const ports = privilegedPorts(plan.model, stage, needs?.listens).map(
    (p) => `${p.port} (${p.where})`,
  );
  const rootOnly = rootOnlyRead(plan, needs);
  // What the Dockerfile shows the program needs root for (final-stage-runs-as-root reads the same).
  const byDesign = rootByDesign(plan.model, stage);
  const rootHome = rootHomeUse(plan);
  const hostWrite = hostMountedWrite(plan.model, stage, needs, plan.programCwd);
  return byDesign
    ? byDesign.why
    : rootHome
      ? rootHome
      : scope.kind === 'elsewhere' || scope.kind === 'unknown'
        ? describeWrites(scope)
        : hostWrite
          ? hostWrite
          : ports.length > 0
            ? `it listens on port ${ports.join(', ')}, which only root may bind outside Docker's default network`
            : needs?.dockerDaemon
              ? `it talks to the Docker daemon (${needs.dockerDaemon}), whose socket only root or the docker group may open`
              : rootOnly;
}

/** Decides the runtime's user; may switch a default distroless `:nonroot` runtime to its root tag. */
export function planUser(plan: Plan, needs: ProgramNeeds | undefined): UserPlan {
  const { stage } = plan;
  const cwd = plan.programCwd;
  const scope = writeScope(needs, cwd);
  const own = stage.instructions.filter((i) => keywordOf(i) === 'USER').pop();
  const inherited = stage.user?.value;
  const originalRoot = inherited === undefined || /^(root|0)(:.*)?$/.test(inherited);

  if (!originalRoot) {
    // The original's own user: the runtime has it, and owns what the program writes.
    if (!own) return {};
    const mapped = mappedUser(plan, own);
    const writes = scope.kind !== 'none';
    if (writes) {
      plan.notes.push(
        `The program runs as the original's user (USER ${inherited}) and ${describeWrites(scope).replace(/^it /, '')}: the working directory ${cwd} and the files the runtime copies for it (not the binaries) are that user's (${mapped.owner}).`,
      );
    }
    return {
      setup: mapped.setup ? [mapped.setup] : undefined,
      early: writes ? mapped.line : undefined,
      late: writes ? undefined : mapped.line,
      chown: writes ? mapped.owner : undefined,
    };
  }

  // The original ran as root.
  if (own) {
    // `USER root` written out: kept as the author wrote it.
    return { late: mappedUser(plan, own).line };
  }
  const keepRoot = rootReason(plan, needs, scope);
  if (keepRoot) {
    plan.comments.push(`Runs as root, as the original image did: ${keepRoot}.`);
    plan.notes.push(
      `The image runs as root, as the original did, because ${keepRoot}; to run it as non-root, check that it can do this as a non-root user and add USER.`,
    );
    if (!plan.runtime.nonRoot) return {};
    if (plan.explicitRuntime) {
      throw new Refusal(
        `${plan.runtimeImage} runs as a non-root user, and the program must run as root as before: ${keepRoot}.`,
      );
    }
    plan.runtimeImage = rootVariant(plan.runtimeImage);
    plan.runtime = { ...plan.runtime, nonRoot: false };
    return {};
  }
  // The original ran as root: the runtime's user is a change, so the file says why it is safe.
  const line = `${plan.kw('USER')} ${NONROOT}`;
  if (scope.kind === 'workdir') {
    plan.notes.push(
      `The program runs as the non-root user ${NONROOT} and writes below its working directory (${scope.where}); ${cwd} and the files the runtime copies for it (not the binaries) are that user's.`,
    );
    const comment = `# Non-root, and ${cwd} is this user's: the program writes there: ${scope.where}.`;
    return { early: `${comment}${plan.eol}${line}`, chown: NONROOT };
  }
  const user = plan.runtime.nonRoot
    ? `${plan.runtimeImage}'s non-root user`
    : `the non-root user ${NONROOT}`;
  plan.notes.push(
    `The program runs as ${user}: its Go sources write nothing outside the temporary directory.`,
  );
  const why = 'the program writes nothing outside /tmp, binds no port below 1024.';
  if (plan.runtime.nonRoot) {
    plan.comments.push(`Non-root, unlike the original: ${why}`);
    return {};
  }
  return { late: `# Non-root, unlike the original: ${why}${plan.eol}${line}` };
}
