/**
 * Why an image's program runs as root, as far as the Dockerfile shows it: the facts that both
 * final-stage-runs-as-root and the conversion's choice of user read, so that the rule never asks
 * for a `USER` that the conversion would refuse to write.
 *
 * - By design (`rootByDesign`): the image installs or carries tools that only root can use
 *   (iptables, iproute2, wireguard-tools, dmsetup, lvm2, kmod, …), reads the host through
 *   mounts (`/host/proc`, `HOST_PROC`, `/rootfs`), opens the Docker daemon's socket, is built on
 *   `docker:dind`, or its comments and labels say to run it with `--privileged`, `--cap-add`,
 *   `NET_ADMIN`. A non-root user cannot do the job at all.
 * - By choice (`privilegedPorts`): the program listens on a port below 1024, which only root
 *   may bind outside Docker's default network; moving it to a higher port lifts the need.
 */
import type { Instruction } from 'dockerfile-ast';
import { logicalArguments } from '../model/instruction-text';
import type { DockerfileModel, Stage } from '../model/model';
import { packageCommand, packageName } from '../model/package-commands';
import { parseScript, programName, SHELLS } from '../model/shell';
import { stageChain } from './start';
import { basename } from '../text/posix-path';

/** Why the image's program must run as root. */
export interface RootNeed {
  kind: 'system-tool' | 'host-access' | 'privileged' | 'docker-socket';
  /** A clause that completes "the image runs as root because …" (`it installs iptables (line 3), …`). */
  why: string;
}

type ToolClass = 'network' | 'storage' | 'kernel';

const TOOL_CLASS_TEXT: Record<ToolClass, string> = {
  network: 'a network tool that needs root (CAP_NET_ADMIN)',
  storage: 'a storage tool that needs root (block devices, mounts)',
  kernel: 'a kernel or hardware tool that needs root',
};

// Packages (apk, apt, dnf names) whose programs only root can use in a container.
const ROOT_PACKAGES: ReadonlyMap<string, ToolClass> = new Map([
  ...(
    [
      'iptables',
      'ip6tables',
      'iptables-legacy',
      'iptables-nft',
      'arptables',
      'ebtables',
      'nftables',
      'iproute2',
      'iproute',
      'iproute2-minimal',
      'ipset',
      'ipvsadm',
      'conntrack',
      'conntrack-tools',
      'ethtool',
      'bridge-utils',
      'wireguard-tools',
      'wireguard-tools-wg',
      'wireguard-tools-wg-quick',
      'openvswitch',
      'openvswitch-switch',
      'openvswitch-common',
      'tcpdump',
      'keepalived',
      'bird',
      'bird2',
      'frr',
      'openvpn',
      'strongswan',
      'libreswan',
      'isc-dhcp-client',
    ] as const
  ).map((p) => [p, 'network'] as const),
  ...(
    [
      'dmsetup',
      'device-mapper',
      'lvm2',
      'e2fsprogs',
      'e2fsprogs-extra',
      'xfsprogs',
      'xfsprogs-extra',
      'btrfs-progs',
      'util-linux',
      'mount',
      'blkid',
      'nfs-utils',
      'nfs-common',
      'cifs-utils',
      'open-iscsi',
      'iscsi-initiator-utils',
      'multipath-tools',
      'device-mapper-multipath',
      'cryptsetup',
      'parted',
      'gdisk',
      'thin-provisioning-tools',
      'zfs',
      'zfsutils-linux',
      'ndctl',
      'nvme-cli',
      'smartmontools',
      'hdparm',
      'ceph-common',
      'sg3-utils',
    ] as const
  ).map((p) => [p, 'storage'] as const),
  ...(
    [
      'kmod',
      'module-init-tools',
      'dmidecode',
      'ipmitool',
      'bpftool',
      'bpftrace',
      'bcc-tools',
      'audit',
      'auditd',
    ] as const
  ).map((p) => [p, 'kernel'] as const),
]);

// Programs (by file name) that only root can use in a container, when the image carries them
// (copied from another stage) or its start command runs them.
const ROOT_PROGRAMS: ReadonlyMap<string, ToolClass> = new Map([
  ...(
    [
      'iptables',
      'ip6tables',
      'iptables-restore',
      'ip6tables-restore',
      'iptables-save',
      'iptables-legacy',
      'iptables-nft',
      'iptables-wrapper',
      'nft',
      'ip',
      'tc',
      'ipset',
      'ipvsadm',
      'conntrack',
      'ebtables',
      'arptables',
      'ethtool',
      'wg',
      'wg-quick',
      'ovs-vsctl',
      'ovs-ofctl',
      'ovs-vswitchd',
      'ovsdb-server',
      'tcpdump',
    ] as const
  ).map((p) => [p, 'network'] as const),
  ...(
    [
      'dmsetup',
      'lvm',
      'mount',
      'umount',
      'losetup',
      'blkid',
      'mkfs',
      'resize2fs',
      'xfs_growfs',
      'iscsiadm',
      'multipath',
      'cryptsetup',
    ] as const
  ).map((p) => [p, 'storage'] as const),
  ...(['modprobe', 'insmod', 'rmmod', 'bpftool', 'nsenter'] as const).map(
    (p) => [p, 'kernel'] as const,
  ),
]);

function programClass(name: string): ToolClass | undefined {
  if (/^mkfs\.[a-z0-9]+$/.test(name)) return 'storage';
  return ROOT_PROGRAMS.get(name);
}

// Paths through which an agent reads or changes the host: its /proc, /sys and root file system
// mounted into the container, kernel interfaces, container runtimes' state and sockets.
const HOST_PATHS = [
  '/host',
  '/hostfs',
  '/rootfs',
  '/proc/1/',
  '/sys/fs/bpf',
  '/sys/kernel/debug',
  '/sys/kernel/tracing',
  '/sys/fs/cgroup',
  '/lib/modules',
  '/dev/kmsg',
  '/dev/mem',
  '/dev/net/tun',
  '/dev/mapper',
  '/dev/fuse',
  '/var/lib/docker',
  '/var/lib/kubelet',
  '/var/log/pods',
  '/var/log/containers',
  '/run/containerd/containerd.sock',
  '/var/run/containerd/containerd.sock',
  '/run/crio/crio.sock',
  '/var/run/crio/crio.sock',
  '/etc/cni',
  '/opt/cni/bin',
];

const DOCKER_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];

// Variables that tell an agent where the host's file systems are mounted (gopsutil's HOST_*,
// node exporters' flags).
const HOST_VARIABLES = new Set([
  'HOST_PROC',
  'HOST_SYS',
  'HOST_ROOT',
  'HOST_ETC',
  'HOST_VAR',
  'HOST_RUN',
  'HOST_DEV',
  'HOST_MOUNT_PREFIX',
  'PROCFS_PATH',
  'SYSFS_PATH',
]);

// Docker clients: an image that carries one talks to the daemon through its socket.
const DOCKER_CLIENT_PACKAGES = new Set([
  'docker',
  'docker-cli',
  'docker-ce-cli',
  'docker.io',
  'moby-cli',
]);

/** A path word (or a `--flag=path`, `NAME=path`, `src:dst` value) that names a host path. */
function hostPathIn(word: string): string | undefined {
  for (const part of word.split(/[=:,]/)) {
    const path = part.replace(/^["']|["']$/g, '');
    if (!path.startsWith('/')) continue;
    for (const prefix of HOST_PATHS) {
      if (
        prefix.endsWith('/')
          ? path.startsWith(prefix)
          : path === prefix || path.startsWith(prefix + '/')
      ) {
        return path;
      }
    }
  }
  return undefined;
}

function dockerSocketIn(word: string): string | undefined {
  return DOCKER_SOCKETS.find((socket) => word.includes(socket));
}

// Run-time flags and settings that give a container privileges only root can use: what an
// image's comments or labels say about how to run it.
const PRIVILEGE_WORDS: { pattern: RegExp; what: string }[] = [
  { pattern: /--privileged\b/, what: '--privileged' },
  { pattern: /\bprivileged:\s*true\b/, what: 'privileged: true' },
  { pattern: /--cap-add[= ]+([A-Z_]+)/i, what: '--cap-add' },
  { pattern: /\bcap_add\b/i, what: 'cap_add' },
  {
    pattern:
      /\b(?:CAP_)?(NET_ADMIN|SYS_ADMIN|NET_RAW|SYS_MODULE|SYS_PTRACE|SYS_RESOURCE|BPF|PERFMON|SYS_RAWIO|DAC_READ_SEARCH)\b/,
    what: '',
  },
  { pattern: /--pid[= ]host\b/, what: '--pid=host' },
  { pattern: /\bhostPID:\s*true\b/, what: 'hostPID: true' },
  { pattern: /--device[= ]+\/dev\/(?:net\/tun|fuse|kmsg|mem)\b/, what: '--device' },
];

/** What a comment or label says about privileges, as written (`--privileged`, `NET_ADMIN`). */
function privilegeMention(text: string): string | undefined {
  for (const { pattern, what } of PRIVILEGE_WORDS) {
    const match = pattern.exec(text);
    if (!match) continue;
    // `BPF` alone is too common a word: only as a capability name.
    if (what === '' && match[1] === 'BPF' && !match[0].startsWith('CAP_')) continue;
    return what === '' ? match[0] : what === '--cap-add' ? match[0].replace(/\s+/g, ' ') : what;
  }
  return undefined;
}

function lineOf(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}

function keywordOf(instruction: Instruction): string {
  return instruction.getKeyword().toUpperCase();
}

/** The instruction's arguments as one line (continuations joined). */
function argumentText(model: DockerfileModel, instruction: Instruction): string {
  return logicalArguments(instruction, model.index, model.escapeChar)?.text ?? '';
}

interface CommentLine {
  /** One-based line. */
  line: number;
  text: string;
  /** The index of the stage whose lines hold it, -1 above the first FROM. */
  stage: number;
}

const commentsPerModel = new WeakMap<DockerfileModel, CommentLine[]>();

/** Every comment line of the document (also inside continuations), found once per model. */
function commentsOf(model: DockerfileModel): CommentLine[] {
  const known = commentsPerModel.get(model);
  if (known) return known;
  const comments: CommentLine[] = [];
  const starts = model.stages.map((s) => s.from.getRange().start.line);
  let stage = -1;
  // The comments right above a FROM (blank lines between allowed) introduce that stage.
  let block: CommentLine[] = [];
  const lines = model.text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let next = stage;
    while (next + 1 < starts.length && starts[next + 1] <= i) next++;
    if (next !== stage) {
      if (stage >= 0) for (const comment of block) comment.stage = next;
      stage = next;
    }
    const trimmed = lines[i].trimStart();
    if (trimmed.startsWith('#')) {
      const comment = { line: i + 1, text: trimmed, stage };
      comments.push(comment);
      block.push(comment);
    } else if (trimmed !== '') {
      block = [];
    }
  }
  commentsPerModel.set(model, comments);
  return comments;
}

/** The needs one stage's own instructions show (not its parents'). */
function ownNeeds(model: DockerfileModel, stage: Stage): RootNeed[] {
  const needs: RootNeed[] = [];
  // Packages installed.
  for (const run of stage.runs) {
    for (const command of run.commands) {
      const install = packageCommand(command);
      if (install?.action !== 'install') continue;
      for (const word of install.names) {
        const name = packageName(word.text);
        const toolClass = ROOT_PACKAGES.get(name);
        if (toolClass) {
          needs.push({
            kind: 'system-tool',
            why: `it installs ${name} (line ${lineOf(run.instruction)}), ${TOOL_CLASS_TEXT[toolClass]}`,
          });
        } else if (DOCKER_CLIENT_PACKAGES.has(name)) {
          needs.push({
            kind: 'docker-socket',
            why: `it installs the Docker client ${name} (line ${lineOf(run.instruction)}), which talks to the Docker daemon through a socket only root or the docker group may open`,
          });
        }
      }
    }
  }
  // Programs copied in (from another stage or the context).
  for (const copy of stage.copies) {
    for (const source of copy.sources) {
      const name = basename(source.text);
      const toolClass = programClass(name);
      // From the context, only into a bin directory: `COPY mount ./mount` is more likely a
      // directory of the sources.
      const intoBin = /\/s?bin(\/|$)/.test(copy.destination?.path ?? '');
      if (toolClass && !source.text.includes('$') && (copy.from || intoBin)) {
        needs.push({
          kind: 'system-tool',
          why: `it copies in ${name} (line ${lineOf(copy.instruction)}), ${TOOL_CLASS_TEXT[toolClass]}`,
        });
      }
    }
  }
  for (const instruction of stage.instructions) {
    const keyword = keywordOf(instruction);
    if (keyword === 'ENV' || keyword === 'VOLUME') {
      const text = argumentText(model, instruction);
      for (const word of text.split(/[\s[\],"]+/)) {
        const name = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(word)?.[1];
        const socket = dockerSocketIn(word);
        if (socket) {
          needs.push({
            kind: 'docker-socket',
            why: `it uses the Docker daemon's socket ${socket} (${keyword}, line ${lineOf(instruction)}), which only root or the docker group may open`,
          });
          continue;
        }
        const host = hostPathIn(word);
        if (host || (name && HOST_VARIABLES.has(name))) {
          needs.push({
            kind: 'host-access',
            why: `it reads the host through ${host ?? name} (${keyword}, line ${lineOf(instruction)})`,
          });
        }
      }
    } else if (keyword === 'LABEL') {
      const mention = privilegeMention(argumentText(model, instruction));
      if (mention) {
        needs.push({
          kind: 'privileged',
          why: `its LABEL (line ${lineOf(instruction)}) says to run it with ${mention}`,
        });
      }
    }
  }
  // The start command: the programs it runs, the host paths it names.
  for (const command of [stage.entrypoint, stage.cmd]) {
    if (!command) continue;
    const where = `${command.keyword}, line ${lineOf(command.instruction)}`;
    const words = command.exec ? command.exec.map((w) => w.text) : [];
    const scripts = command.exec ? [] : [command.shell ?? ''];
    // `["sh", "-c", "iptables … && exec /agent"]`: the script's commands count too.
    if (command.exec && SHELLS.has(basename(words[0] ?? '')) && words[1] === '-c') {
      scripts.push(words[2] ?? '');
    }
    const programs = command.exec ? [basename(words[0] ?? '')] : [];
    for (const script of scripts) {
      for (const c of parseScript(script).commands) {
        programs.push(programName(c.words[0]) ?? '');
        words.push(...c.words.map((w) => w.text));
      }
    }
    const tool = programs.find((p) => programClass(p) !== undefined);
    if (tool) {
      needs.push({
        kind: 'system-tool',
        why: `its start command runs ${tool} (${where}), ${TOOL_CLASS_TEXT[programClass(tool)!]}`,
      });
    }
    for (const word of words) {
      const socket = dockerSocketIn(word);
      if (socket) {
        needs.push({
          kind: 'docker-socket',
          why: `it uses the Docker daemon's socket ${socket} (${where}), which only root or the docker group may open`,
        });
        break;
      }
      const host = hostPathIn(word);
      if (host) {
        needs.push({ kind: 'host-access', why: `it reads the host through ${host} (${where})` });
        break;
      }
    }
  }
  return needs;
}

const perModel = new WeakMap<DockerfileModel, WeakMap<Stage, RootNeed[]>>();

function needsOf(model: DockerfileModel, stage: Stage): RootNeed[] {
  let known = perModel.get(model);
  if (!known) perModel.set(model, (known = new WeakMap()));
  let needs = known.get(stage);
  if (!needs) known.set(stage, (needs = ownNeeds(model, stage)));
  return needs;
}

/**
 * Why the stage's program must run as root by design, from the stage, the stages it is built on
 * and the comments above it; undefined when nothing says so. Nearest stage first.
 */
export function rootByDesign(model: DockerfileModel, stage: Stage): RootNeed | undefined {
  for (const s of stageChain(stage)) {
    const [need] = needsOf(model, s);
    if (need) return need;
  }
  const root = stageChain(stage).pop()!;
  const base = root.base;
  if (base && /(^|\/)docker$/.test(base.repository) && /dind/.test(base.tag ?? '')) {
    return {
      kind: 'privileged',
      why: `it is built on ${root.baseText ?? 'docker:dind'}, a Docker daemon that runs with --privileged`,
    };
  }
  // The comments above the first FROM (usage notes) and in the stages of the chain.
  const chain = new Set(stageChain(stage).map((s) => s.index));
  for (const comment of commentsOf(model)) {
    if (comment.stage >= 0 && !chain.has(comment.stage)) continue;
    const mention = privilegeMention(comment.text);
    if (mention) {
      return {
        kind: 'privileged',
        why: `its comments say to run it with ${mention} (line ${comment.line})`,
      };
    }
    // `docker run -v /var/run/docker.sock:/var/run/docker.sock …`, `-v /proc:/host/proc:ro`.
    const words = comment.text.split(/\s+/);
    const socket = words.map(dockerSocketIn).find((w) => w !== undefined);
    if (socket) {
      return {
        kind: 'docker-socket',
        why: `its comments say to mount the Docker daemon's socket ${socket} (line ${comment.line}), which only root or the docker group may open`,
      };
    }
    const mounts = /(^|\s)(-v|--volume|--mount)[= ]/.test(comment.text);
    const host = mounts ? words.map(hostPathIn).find((w) => w !== undefined) : undefined;
    if (host) {
      return {
        kind: 'host-access',
        why: `its comments say to mount the host at ${host} (line ${comment.line})`,
      };
    }
  }
  return undefined;
}

/** A port below 1024 that the program listens on, and where that is said. */
export interface PrivilegedPort {
  port: number;
  /** `EXPOSE`, `ENV PORT`, a place in the sources (`main.go:12`). */
  where: string;
}

/** `setcap cap_net_bind_service=+ep <binary>`: the binary may bind low ports without root. */
function grantsBindCapability(stage: Stage): boolean {
  return stageChain(stage).some((s) =>
    s.runs.some((run) =>
      run.commands.some(
        (c) =>
          programName(c.words[0]) === 'setcap' &&
          c.words.some((w) => /cap_net_bind_service/i.test(w.text)),
      ),
    ),
  );
}

/**
 * The ports below 1024 the stage's program listens on, from EXPOSE (in the stage or those it is
 * built on), the ports its ENV sets (`PORT=80`, `HTTP_PORT=443`) and, for the conversion, the
 * addresses its sources listen on: binding them takes root outside Docker's default network.
 * None when a RUN gives a binary `cap_net_bind_service` with setcap.
 */
export function privilegedPorts(
  stage: Stage,
  listens: readonly { port: number; where: string }[] = [],
): PrivilegedPort[] {
  if (grantsBindCapability(stage)) return [];
  const ports: PrivilegedPort[] = [];
  const add = (port: number, where: string) => {
    if (!Number.isInteger(port) || port <= 0 || port >= 1024) return;
    if (!ports.some((p) => p.port === port && p.where === where)) ports.push({ port, where });
  };
  for (const s of stageChain(stage).reverse()) {
    for (const instruction of s.instructions) {
      if (keywordOf(instruction) !== 'EXPOSE') continue;
      for (const arg of instruction.getArguments())
        add(Number(arg.getValue().split('/')[0]), 'EXPOSE');
    }
  }
  for (const listen of listens) add(listen.port, listen.where);
  for (const [name, value] of stage.envAtEnd) {
    if (typeof value === 'string' && /(^|_)PORT$/.test(name) && /^\d+$/.test(value)) {
      add(Number(value), `ENV ${name}`);
    }
  }
  return ports;
}
