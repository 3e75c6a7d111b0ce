/**
 * What go-multistage knows about well-known base images: whether they carry a Go toolchain, a
 * shell, which C library, which user they run as. Anything not listed is "unknown", and rules
 * stay silent about unknowns rather than guess.
 */
import { compareGoVersions } from './gomod';

export type Libc = 'glibc' | 'musl' | 'none';

export type ImageFamily =
  | 'scratch'
  | 'golang'
  | 'chainguard-go'
  | 'distroless'
  | 'chainguard-static'
  | 'chainguard-glibc'
  | 'alpine'
  | 'busybox'
  | 'debian-like'
  | 'unknown';

export interface ImageReference {
  /** As written after variable expansion, e.g. `docker.io/library/golang:1.22-alpine`. */
  text: string;
  /** Registry host when one is given (`gcr.io`, `cgr.dev`), else undefined (Docker Hub). */
  registry?: string;
  /** Repository path without registry and without Docker Hub's `library/` prefix. */
  repository: string;
  tag?: string;
  digest?: string;
}

export interface ImageFacts {
  family: ImageFamily;
  /** True, false, or undefined when unknown. */
  hasShell: boolean | undefined;
  libc: Libc | undefined;
  /** A Go toolchain image (`golang`, `*\/golang`, `cgr.dev/chainguard/go`). */
  goToolchain: boolean;
  /**
   * Whether cgo is on when `CGO_ENABLED` is unset: Debian-based golang images ship gcc (on);
   * golang alpine images have no C compiler, and since Go 1.20 the go command turns cgo off when
   * it finds none (off; before 1.20 cgo stayed on there: on). Undefined when unknown.
   */
  cgoByDefault: boolean | undefined;
  /** The image's default user is not root (distroless `:nonroot`, Chainguard runtimes). */
  nonRoot: boolean;
  /** The Go version a golang tag names (`1.22`, `1.22.3`, `1`), when it names one. */
  goVersion?: string;
  /** The tag's variant after the version (`alpine3.20`, `bookworm`), when there is one. */
  variant?: string;
  /** Distroless flavour (`static`, `base`, `cc`, ...) for distroless images. */
  distrolessFlavor?: string;
  /** Debian release suffix of a distroless image (`debian12`), when given. */
  debianSuffix?: string;
  /**
   * Whether the image is known to define no ENTRYPOINT, so that a CMD is the program itself rather
   * than arguments to an entrypoint script.
   */
  noEntrypoint: boolean;
  /**
   * For images whose content is well known (scratch, distroless, alpine), a test for whether an
   * absolute path exists in the image; undefined when the content is not known.
   */
  hasFile?: (path: string) => boolean;
}

/** Splits an image reference into registry, repository, tag and digest. */
export function parseImageReference(text: string): ImageReference {
  let rest = text.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const firstSlash = rest.indexOf('/');
  if (firstSlash > 0) {
    const head = rest.slice(0, firstSlash);
    if (head.includes('.') || head.includes(':') || head === 'localhost') {
      registry = head.toLowerCase();
      rest = rest.slice(firstSlash + 1);
    }
  }
  let repository = rest.toLowerCase();
  const hub =
    registry === undefined ||
    registry === 'docker.io' ||
    registry === 'index.docker.io' ||
    registry === 'registry-1.docker.io';
  if (hub) {
    registry = undefined;
    if (repository.startsWith('library/')) repository = repository.slice('library/'.length);
  }
  return { text, registry, repository, tag, digest };
}

const GOLANG_TAG = /^(\d+(?:\.\d+){0,2}(?:(?:rc|beta)\d+)?)(?:-(.+))?$/;

/**
 * Splits a golang tag into the Go version, pre-releases included (`1.25rc2`), and the variant
 * (`1.22.3-alpine3.20` → `1.22.3`, `alpine3.20`).
 */
export function splitGoTag(tag: string): { version?: string; variant?: string } {
  const match = GOLANG_TAG.exec(tag);
  if (match) return { version: match[1], variant: match[2] };
  return { variant: tag };
}

// Files present in every distroless image (see GoogleContainerTools/distroless base/README.md).
const DISTROLESS_FILES = [
  '/etc/passwd',
  '/etc/group',
  '/etc/nsswitch.conf',
  '/etc/os-release',
  '/etc/ssl/certs',
  '/etc/ssl/certs/ca-certificates.crt',
  '/usr/share/zoneinfo',
  '/tmp',
  '/home/nonroot',
];

// Programs busybox provides in alpine's /bin, /sbin, /usr/bin and /usr/sbin (a common subset).
const ALPINE_PROGRAMS = new Set(
  (
    'sh ash busybox ls cat cp mv rm ln mkdir rmdir chmod chown chgrp echo printf env sleep true ' +
    'false test [ grep egrep fgrep sed awk cut head tail sort uniq wc tr tee find xargs tar gzip ' +
    'gunzip zcat wget nc ping ps kill killall top free df du date hostname id whoami su sync ' +
    'mount umount uname vi less more which basename dirname readlink realpath stat touch ' +
    'mktemp expr seq yes nslookup ip ifconfig route netstat traceroute adduser addgroup ' +
    'deluser delgroup passwd login getty init poweroff reboot halt syslogd crond crontab ' +
    'apk ldconfig ldd scanelf ssl_client getconf iconv nproc timeout watch diff patch unzip ' +
    'md5sum sha1sum sha256sum sha512sum base64 od hexdump strings logger time nice nohup ' +
    'flock install dd fold rev pgrep pkill pidof pwd setsid start-stop-daemon tac'
  ).split(' '),
);

const ALPINE_DIRS = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin'];

function alpineHasFile(path: string): boolean {
  for (const dir of ALPINE_DIRS) {
    if (path.startsWith(dir + '/') && ALPINE_PROGRAMS.has(path.slice(dir.length + 1))) {
      return true;
    }
  }
  return (
    path.startsWith('/etc/') ||
    path.startsWith('/lib/') ||
    path.startsWith('/usr/lib/') ||
    path.startsWith('/usr/share/') ||
    path.startsWith('/var/') ||
    path === '/tmp' ||
    path === '/root' ||
    path === '/home'
  );
}

function distrolessHasFile(flavor: string, debug: boolean): (path: string) => boolean {
  return (path) => {
    if (DISTROLESS_FILES.some((f) => path === f || path.startsWith(f + '/'))) return true;
    if (debug && (path === '/busybox' || path.startsWith('/busybox/'))) return true;
    // base and cc carry glibc and OpenSSL libraries.
    if (flavor !== 'static' && (path.startsWith('/lib/') || path.startsWith('/usr/lib/'))) {
      return true;
    }
    return false;
  };
}

const DEBIAN_LIKE = new Set([
  'debian',
  'ubuntu',
  'buildpack-deps',
  'centos',
  'fedora',
  'rockylinux',
  'almalinux',
  'amazonlinux',
  'oraclelinux',
  'archlinux',
  'opensuse/leap',
  'opensuse/tumbleweed',
  'redhat/ubi8',
  'redhat/ubi9',
  'redhat/ubi8-minimal',
  'redhat/ubi9-minimal',
]);

const UNKNOWN: ImageFacts = {
  family: 'unknown',
  hasShell: undefined,
  libc: undefined,
  goToolchain: false,
  cgoByDefault: undefined,
  nonRoot: false,
  noEntrypoint: false,
};

function lastSegment(repository: string): string {
  const slash = repository.lastIndexOf('/');
  return slash < 0 ? repository : repository.slice(slash + 1);
}

/** A golang image: its Go version and variant, C library and cgo default. */
function classifyGolang(tag: string): ImageFacts {
  const split = splitGoTag(tag);
  const variant = split.variant;
  // The facts compare release numbers: `1.25rc2` counts as 1.25.
  const version = split.version?.replace(/(rc|beta)\d+$/, '');
  const v = (variant ?? '').toLowerCase();
  const windows = v.includes('windowsservercore') || v.includes('nanoserver');
  const alpine = v.startsWith('alpine');
  // Without a Go version, the alpine release dates the image: releases up to 3.15 only ever
  // carried Go before 1.20 (`golang:alpine3.10`).
  const alpineRelease = /^alpine3\.(\d+)$/.exec(v);
  const oldAlpine = alpineRelease !== null && Number(alpineRelease[1]) <= 15;
  return {
    ...UNKNOWN,
    family: 'golang',
    goToolchain: true,
    hasShell: windows ? undefined : true,
    libc: windows ? undefined : alpine ? 'musl' : 'glibc',
    // Before Go 1.20, cgo stayed on without a C compiler too: the alpine images' standard
    // library was precompiled with cgo, so `net` linked musl dynamically.
    cgoByDefault: windows
      ? undefined
      : !alpine || (version !== undefined ? compareGoVersions(version, '1.20') < 0 : oldAlpine),
    noEntrypoint: true,
    goVersion: version,
    variant,
  };
}

/** A Chainguard image (cgr.dev): go, static, glibc-dynamic. */
function classifyChainguard(repo: string, tag: string): ImageFacts {
  const name = lastSegment(repo);
  if (name === 'go') {
    return { ...UNKNOWN, family: 'chainguard-go', goToolchain: true, libc: 'glibc' };
  }
  if (name === 'static') {
    return {
      ...UNKNOWN,
      family: 'chainguard-static',
      hasShell: tag.includes('dev') ? true : false,
      libc: 'none',
      nonRoot: true,
      noEntrypoint: true,
    };
  }
  if (name === 'glibc-dynamic') {
    return {
      ...UNKNOWN,
      family: 'chainguard-glibc',
      hasShell: tag.includes('dev') ? true : false,
      libc: 'glibc',
      nonRoot: true,
      noEntrypoint: true,
    };
  }
  return UNKNOWN;
}

/** A distroless image (gcr.io/distroless/<flavor>[-<debian>]). */
function classifyDistroless(repo: string, tag: string): ImageFacts {
  const name = repo.slice('distroless/'.length);
  const dash = name.indexOf('-');
  const flavor = dash < 0 ? name : name.slice(0, dash);
  const suffix = dash < 0 ? undefined : name.slice(dash + 1);
  const debug = tag.startsWith('debug');
  const known = flavor === 'static' || flavor === 'base' || flavor === 'cc';
  return {
    ...UNKNOWN,
    family: 'distroless',
    // The debug tags add busybox; the others have no shell at all.
    hasShell: debug,
    libc: flavor === 'static' ? 'none' : 'glibc',
    nonRoot: tag.includes('nonroot'),
    noEntrypoint: known && !debug,
    distrolessFlavor: flavor,
    debianSuffix: suffix,
    hasFile: known ? distrolessHasFile(flavor, debug) : undefined,
  };
}

/** Classifies an image reference that has been fully expanded. */
export function classifyImage(ref: ImageReference): ImageFacts {
  const repo = ref.repository;
  const tag = ref.tag ?? 'latest';
  if (repo === 'scratch' && ref.registry === undefined) {
    return {
      ...UNKNOWN,
      family: 'scratch',
      hasShell: false,
      libc: 'none',
      noEntrypoint: true,
      hasFile: () => false,
    };
  }
  if (lastSegment(repo) === 'golang') return classifyGolang(tag);
  if (ref.registry === 'cgr.dev') return classifyChainguard(repo, tag);
  if (ref.registry === 'gcr.io' && repo.startsWith('distroless/')) {
    return classifyDistroless(repo, tag);
  }
  if (ref.registry === undefined && repo === 'alpine') {
    return {
      ...UNKNOWN,
      family: 'alpine',
      hasShell: true,
      libc: 'musl',
      noEntrypoint: true,
      hasFile: alpineHasFile,
    };
  }
  if (ref.registry === undefined && repo === 'busybox') {
    const libc = tag.includes('musl') ? 'musl' : tag.includes('glibc') ? 'glibc' : undefined;
    return { ...UNKNOWN, family: 'busybox', hasShell: true, libc, noEntrypoint: true };
  }
  if (
    DEBIAN_LIKE.has(repo) &&
    (ref.registry === undefined || ref.registry === 'registry.access.redhat.com')
  ) {
    return { ...UNKNOWN, family: 'debian-like', hasShell: true, libc: 'glibc', noEntrypoint: true };
  }
  return UNKNOWN;
}

/** Environment the official golang images set, visible to every RUN in a stage built on them. */
export const GOLANG_IMAGE_ENV: ReadonlyMap<string, string> = new Map([
  ['GOPATH', '/go'],
  ['GOTOOLCHAIN', 'local'],
  [
    'PATH',
    '/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  ],
]);

/** The PATH of images that do not set one (Docker's default). */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The current Debian release, for distroless image names (`static-debian13`). */
export const CURRENT_DEBIAN = 'debian13';

/** A base image with a C library, for a cgo binary linked against it (none for `none`). */
export function baseWithLibc(libc: Libc): string {
  return libc === 'musl' ? 'alpine' : `gcr.io/distroless/base-${CURRENT_DEBIAN}`;
}

/** The runtime image "Convert to multi-stage" uses unless told otherwise. */
export const DEFAULT_RUNTIME_IMAGE = `gcr.io/distroless/static-${CURRENT_DEBIAN}:nonroot`;
