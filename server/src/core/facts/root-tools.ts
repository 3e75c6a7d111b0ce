/**
 * What only root can use, for root-needs.ts: the packages and programs that need root (network,
 * storage and kernel tools), host paths and variables through which an agent reads the host, the
 * Docker daemon's sockets and clients, and the run-time privilege flags that comments and labels
 * mention. Plain tables and matchers; nothing here is per model.
 */
import type { GoMod, GoModRequire } from '../model/gomod';

export type ToolClass = 'network' | 'storage' | 'kernel';

export const TOOL_CLASS_TEXT: Record<ToolClass, string> = {
  network: 'a network tool that needs root (CAP_NET_ADMIN)',
  storage: 'a storage tool that needs root (block devices, mounts)',
  kernel: 'a kernel or hardware tool that needs root',
};

// Packages (apk, apt, dnf names) whose programs only root can use in a container.
export const ROOT_PACKAGES: ReadonlyMap<string, ToolClass> = new Map([
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
      // Disk health and layout: they open the block devices themselves.
      'smartctl',
      'nvme',
      'hdparm',
      'mdadm',
      'zfs',
      'zpool',
    ] as const
  ).map((p) => [p, 'storage'] as const),
  ...(['modprobe', 'insmod', 'rmmod', 'bpftool', 'nsenter', 'dmidecode'] as const).map(
    (p) => [p, 'kernel'] as const,
  ),
]);

/** What kind of root-only tool a program is (`iptables`: network), if it is one. */
export function programClass(name: string): ToolClass | undefined {
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
export const HOST_VARIABLES = new Set([
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
export const DOCKER_CLIENT_PACKAGES = new Set([
  'docker',
  'docker-cli',
  'docker-ce-cli',
  'docker.io',
  'moby-cli',
]);

/**
 * Go clients of the Docker daemon's API, which they reach through its socket: the package a
 * program imports and the module a go.mod requires for it (`github.com/docker/docker` is the
 * Engine's module, its client one of its packages; `github.com/moby/moby/client` is a module of
 * its own since the Engine's 2025 split). `github.com/docker/cli` is not one: programs require it
 * for the Docker config file and registry credentials (go-containerregistry's keychain), not the
 * daemon. Neither are containerd (its module is also the registry and image library of buildkit,
 * helm, oras) nor Podman's bindings (a rootless Podman socket belongs to an ordinary user).
 */
export const DOCKER_CLIENTS: readonly { module: string; package: string }[] = [
  { module: 'github.com/docker/docker', package: 'github.com/docker/docker/client' },
  { module: 'github.com/moby/moby/client', package: 'github.com/moby/moby/client' },
  { module: 'github.com/fsouza/go-dockerclient', package: 'github.com/fsouza/go-dockerclient' },
];

// Modules that start containers from a module's tests (testcontainers, dockertest, dktest): a
// go.mod that requires one may require a Docker client for its tests alone, which go.mod does not
// tell apart from the program's requirements (golang-migrate, livekit, gotenberg).
const CONTAINER_TEST_MODULES = [
  'github.com/testcontainers/testcontainers-go',
  'github.com/ory/dockertest',
  'github.com/dhui/dktest',
];

/** Whether a module path is `module` or one of its major versions (`module/v3`). */
function isModule(path: string, module: string): boolean {
  return (
    path === module ||
    (path.startsWith(module + '/v') && /^\d+$/.test(path.slice(module.length + 2)))
  );
}

/**
 * The Docker client module a go.mod requires directly, when that says the program talks to the
 * daemon: an indirect requirement is a dependency's (a library that can also talk to Docker),
 * and none counts when the module also requires a container test framework.
 */
export function dockerClientRequire(goMod: GoMod | undefined): GoModRequire | undefined {
  const direct = goMod?.requires.filter((r) => !r.indirect) ?? [];
  if (direct.some((r) => CONTAINER_TEST_MODULES.some((m) => isModule(r.path, m)))) return undefined;
  return direct.find((r) => DOCKER_CLIENTS.some((c) => isModule(r.path, c.module)));
}

// Go modules that open raw or packet sockets, change the firewall or load eBPF programs: what
// they do takes root (CAP_NET_RAW, CAP_NET_ADMIN, CAP_BPF), which a non-root user does not get.
const ROOT_NETWORK_MODULES = [
  'github.com/mdlayher/arp',
  'github.com/mdlayher/ndp',
  'github.com/mdlayher/raw',
  'github.com/mdlayher/packet',
  'github.com/coreos/go-iptables',
  'github.com/google/nftables',
  'github.com/cilium/ebpf',
  'github.com/florianl/go-nfqueue',
  'github.com/songgao/water',
  'golang.zx2c4.com/wireguard/wgctrl',
];

/**
 * A module the go.mod requires directly that opens raw sockets, changes the firewall or loads
 * eBPF programs (mdlayher/arp for an ARP responder, go-iptables, cilium/ebpf).
 */
export function rootNetworkRequire(goMod: GoMod | undefined): GoModRequire | undefined {
  const direct = goMod?.requires.filter((r) => !r.indirect) ?? [];
  return direct.find((r) => ROOT_NETWORK_MODULES.some((m) => isModule(r.path, m)));
}

/** A path word (or a `--flag=path`, `NAME=path`, `src:dst` value) that names a host path. */
export function hostPathIn(word: string): string | undefined {
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

/** The Docker daemon socket a word names, if any. */
export function dockerSocketIn(word: string): string | undefined {
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
export function privilegeMention(text: string): string | undefined {
  for (const { pattern, what } of PRIVILEGE_WORDS) {
    const match = pattern.exec(text);
    if (!match) continue;
    // `BPF` alone is too common a word: only as a capability name.
    if (what === '' && match[1] === 'BPF' && !match[0].startsWith('CAP_')) continue;
    return what === '' ? match[0] : what === '--cap-add' ? match[0].replace(/\s+/g, ' ') : what;
  }
  return undefined;
}
