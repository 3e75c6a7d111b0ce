// Makes the stand-in base images the real-build tests build FROM, once per machine, from Debian
// packages (no registry is reachable): a golang image, debian slim and distroless static, base
// and cc. Kept in buildah storage inside the cache folder (see paths.mjs). Each step records the
// key of its recipe; a changed recipe, or a step that was interrupted, is made again.
//
//   node scripts/build-test/images.mjs        (npm run test:build runs it first)
//
// The golang:<tag> names are tagged by the test runner, for the tags the cases use.
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { cacheDir, helperDir, rootfsDir, stateDir } from './paths.mjs';
import {
  acquireLock,
  buildah,
  buildahChecked,
  hasCommand,
  imageExists,
  runAsync,
  tail,
} from './process.mjs';
import { isAlpine, normalizeReference } from './references.mjs';
import { zoneinfoZip } from './zoneinfo.mjs';

/** Bump when a step changes in a way its recipe object below does not show. */
const RECIPE_VERSION = 1;

const SUITE = 'bookworm';
/**
 * What the official golang images have besides Go (their own gcc, libc6-dev, make, pkg-config on
 * buildpack-deps:scm: git, curl, wget, netbase, procps, ca-certificates, tzdata), less g++,
 * gnupg, mercurial, subversion and openssh-client, which Go builds here do not use.
 */
const GOLANG_PACKAGES = [
  'golang-go',
  'gcc',
  'libc6-dev',
  'make',
  'pkg-config',
  'git',
  'ca-certificates',
  'tzdata',
  'netbase',
  'curl',
  'wget',
  'procps',
];

const PATH_DEFAULT = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export const GOLANG_IMAGE = 'localhost/go-multistage/golang:modules';
export const GOLANG_AUTO_IMAGE = 'localhost/go-multistage/golang:go111module-auto';
export const GOLANG_GOPATH_IMAGE = 'localhost/go-multistage/golang:gopath';
const DEBIAN_IMAGE = 'localhost/go-multistage/debian:bookworm-slim';
const distrolessImage = (flavour, user) => `localhost/go-multistage/distroless:${flavour}-${user}`;

/**
 * Names the debian stand-in answers to. All hold the same bookworm minbase: enough for
 * `apt-get install` of runtime packages, not a faithful trixie or bullseye.
 */
const DEBIAN_TAGS = [
  'bookworm-slim',
  'trixie-slim',
  'bullseye-slim',
  '11-slim',
  '12-slim',
  '13-slim',
  'stable-slim',
  'bookworm',
  'trixie',
  'bullseye',
  '11',
  '12',
  '13',
  'stable',
  'latest',
].map((tag) => `docker.io/library/debian:${tag}`);

const DISTROLESS_FLAVOURS = ['static', 'base', 'cc'];
/** distroless tags a user variant: `nonroot`, and `latest` (root) also when no tag is written. */
const DISTROLESS_USERS = { root: ['latest'], nonroot: ['nonroot'] };
const distrolessNames = (flavour, user) =>
  ['-debian13', '-debian12', '-debian11', ''].flatMap((suffix) =>
    DISTROLESS_USERS[user].map((tag) => `gcr.io/distroless/${flavour}${suffix}:${tag}`),
  );

function log(message) {
  console.log(`[build-images] ${message}`);
}

const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** The Debian mirror apt uses on this machine: the first source URI ending in /debian. */
function debianMirror() {
  if (process.env.GO_MULTISTAGE_DEBIAN_MIRROR) return process.env.GO_MULTISTAGE_DEBIAN_MIRROR;
  const files = ['/etc/apt/sources.list'];
  try {
    for (const name of readdirSync('/etc/apt/sources.list.d').sort()) {
      if (/\.(list|sources)$/.test(name)) files.push(join('/etc/apt/sources.list.d', name));
    }
  } catch {
    // no sources.list.d
  }
  for (const file of files) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    // deb822 (`URIs: http://deb.debian.org/debian`) or one-line (`deb [opts] URI suite ...`).
    const match = /^(?:URIs:|deb(?:\s+\[[^\]]*\])?)\s+(\S+\/debian)\/?(?:\s|$)/m.exec(text);
    if (match) return match[1];
  }
  return 'http://deb.debian.org/debian';
}

// ---------------------------------------------------------------------------------------------
// Steps: each makes its outputs from scratch and records its key only when it finished.

const made = [];

async function step(name, { recipe, deps = [], exists, clean, make, doing }) {
  const key = createHash('sha256')
    .update(JSON.stringify({ RECIPE_VERSION, name, recipe, deps }))
    .digest('hex')
    .slice(0, 16);
  const marker = join(stateDir(), name);
  let recorded;
  try {
    recorded = readFileSync(marker, 'utf8').trim();
  } catch {
    recorded = undefined;
  }
  if (recorded === key && exists()) return key;
  rmSync(marker, { force: true });
  const started = performance.now();
  log(`${name}: ${doing}${recorded ? ' (recipe changed or output missing)' : ''}`);
  await clean();
  await make();
  mkdirSync(stateDir(), { recursive: true });
  writeFileSync(marker, `${key}\n`);
  log(`${name}: done in ${seconds(started)}`);
  made.push(name);
  return key;
}

/** Removes an image with all its names (a rebuilt stand-in must not leave the old one tagged). */
function removeImage(name) {
  if (!imageExists(name)) return;
  const id = buildah(['inspect', '--type', 'image', '--format', '{{.FromImageID}}', name]).trim();
  buildah(['rmi', '-f', id]);
}

/** `buildah config` options for an image config. */
function configArgs({ env = {}, workingDir, user, cmd, entrypoint }) {
  const args = Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
  if (workingDir !== undefined) args.push('--workingdir', workingDir);
  if (user !== undefined) args.push('--user', user);
  if (cmd !== undefined) args.push('--cmd', JSON.stringify(cmd));
  if (entrypoint !== undefined) args.push('--entrypoint', JSON.stringify(entrypoint));
  return args;
}

/**
 * Commits a new image: a working container from `from` (an image or scratch), `fill(mountpoint)`
 * to change its files, then the config. Several configs may be committed from the same files.
 */
async function commitImage(from, fill, commits) {
  const pull = from === 'scratch' ? [] : ['--pull=never'];
  const container = (await buildahChecked(['from', ...pull, from])).trim();
  try {
    const mountpoint = (await buildahChecked(['mount', container])).trim();
    await fill(mountpoint);
    await buildahChecked(['umount', container]);
    for (const { name, config, tags = [] } of commits) {
      await buildahChecked(['config', ...configArgs(config), container]);
      await buildahChecked(['commit', '--quiet', container, name]);
      if (tags.length > 0) await buildahChecked(['tag', name, ...tags]);
    }
  } finally {
    await buildahChecked(['rm', container]).catch(() => {});
  }
}

async function copyTree(from, to) {
  const result = await runAsync('cp', ['-a', `${from}/.`, `${to}/`]);
  if (result.status !== 0) throw new Error(`cp -a ${from} ${to} failed\n${tail(result.output)}`);
}

/** A Debian root filesystem by debootstrap, written beside and renamed when complete. */
function rootfsStep(name, include) {
  const dir = join(rootfsDir(), name);
  const partial = `${dir}.partial`;
  const recipe = { suite: SUITE, variant: 'minbase', include };
  return step(`rootfs-${name}`, {
    recipe,
    doing: `debootstrap ${SUITE} minbase${include.length ? ` + ${include.join(',')}` : ''}`,
    exists: () => existsSync(join(dir, 'usr')),
    clean: () => {
      rmSync(dir, { recursive: true, force: true });
      rmSync(partial, { recursive: true, force: true });
    },
    make: async () => {
      mkdirSync(rootfsDir(), { recursive: true });
      const args = ['--variant=minbase'];
      if (include.length > 0) args.push(`--include=${include.join(',')}`);
      // debootstrap and the chroot it calls live in /usr/sbin, not always on a root shell's PATH.
      const env = { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` };
      const result = await runAsync('debootstrap', [...args, SUITE, partial, debianMirror()], {
        env,
      });
      if (result.status !== 0) {
        throw new Error(`debootstrap ${name} failed\n${tail(result.output)}`);
      }
      // The official images clean apt's package cache and lists in the same layer.
      rmSync(join(partial, 'var/cache/apt/archives'), { recursive: true, force: true });
      mkdirSync(join(partial, 'var/cache/apt/archives/partial'), { recursive: true });
      rmSync(join(partial, 'var/lib/apt/lists'), { recursive: true, force: true });
      mkdirSync(join(partial, 'var/lib/apt/lists/partial'), { recursive: true });
      renameSync(partial, dir);
    },
  });
}

// ---------------------------------------------------------------------------------------------
// golang

/** The Go root Debian installs (/usr/lib/go-1.19) and its version (1.19.8). */
function debianGo(rootfs) {
  const goRoot = readlinkSync(join(rootfs, 'usr/lib/go')).replace(/\/$/, '');
  const absolute = goRoot.startsWith('/') ? goRoot : `/usr/lib/${goRoot}`;
  const version = readFileSync(join(rootfs, absolute, 'VERSION'), 'utf8').split('\n')[0];
  return { goRoot: absolute, version: version.replace(/^go/, '') };
}

/** The official golang image's config, but for Debian's Go and without a module proxy. */
function golangConfig(version) {
  return {
    env: {
      PATH: `/go/bin:/usr/local/go/bin:${PATH_DEFAULT}`,
      GOLANG_VERSION: version,
      GOTOOLCHAIN: 'local',
      GOPATH: '/go',
      // No module proxy is reachable: a build that needs a module fails at once, not on a timeout.
      GOPROXY: 'off',
    },
    workingDir: '/go',
    // debian's CMD, which golang images inherit.
    cmd: ['bash'],
  };
}

/**
 * The go-wrapper script of the golang images up to 1.10 (ONBUILD era): it names the program after
 * the current folder (WORKDIR /go/src/app gives "app"). The real `run` traced `+ exec app` on
 * stderr; this one does not, so a run compares the program's own output only.
 */
const GO_WRAPPER = `#!/bin/sh
# Stand-in for the go-wrapper of the golang images up to 1.10.
set -e
usage() { echo 'usage: go-wrapper download|install|run [args...]' >&2; exit 1; }
[ $# -gt 0 ] || usage
cmd="$1"; shift
app="$(basename "$(pwd -P)")"
case "$cmd" in
  download)
    if [ $# -eq 0 ]; then set -- ./...; fi
    set -x; exec go get -v -d "$@" ;;
  install) set -x; exec go install -v "$@" . ;;
  run) exec "$app" "$@" ;;
  *) usage ;;
esac
`;

async function golangSteps(rootfsKey) {
  const rootfs = join(rootfsDir(), 'golang');
  const { goRoot, version } = debianGo(rootfs);
  const config = golangConfig(version);
  const imageKey = await step('image-golang', {
    recipe: { config, goRoot, zoneinfo: 'lib/time/zoneinfo.zip' },
    deps: [rootfsKey],
    doing: `import the rootfs as ${GOLANG_IMAGE} (Go ${version}; about 30 s)`,
    exists: () => imageExists(GOLANG_IMAGE),
    clean: () => removeImage(GOLANG_IMAGE),
    make: () =>
      commitImage(
        'scratch',
        async (root) => {
          await copyTree(rootfs, root);
          // GOROOT where the official images have it, with the time zone zip Debian leaves out;
          // GOPATH folders anyone may write.
          symlinkSync(goRoot, join(root, 'usr/local/go'));
          mkdirSync(join(root, goRoot, 'lib/time'), { recursive: true });
          writeFileSync(
            join(root, goRoot, 'lib/time/zoneinfo.zip'),
            zoneinfoZip(join(rootfs, 'usr/share/zoneinfo')),
          );
          for (const dir of ['go', 'go/src', 'go/bin']) {
            mkdirSync(join(root, dir), { recursive: true });
            chmodSync(join(root, dir), 0o1777);
          }
        },
        [{ name: GOLANG_IMAGE, config }],
      ),
  });
  // Old tags: before 1.16 module mode was not the default (Go 1.19 reading GO111MODULE=auto uses
  // it only with a go.mod, as 1.11-1.15 did); before 1.11 there were no modules, and up to 1.10
  // the images had go-wrapper.
  return step('image-golang-old', {
    recipe: { GO_WRAPPER },
    deps: [imageKey],
    doing: `GOPATH-era variants ${GOLANG_AUTO_IMAGE}, ${GOLANG_GOPATH_IMAGE}`,
    exists: () => imageExists(GOLANG_AUTO_IMAGE) && imageExists(GOLANG_GOPATH_IMAGE),
    clean: () => {
      removeImage(GOLANG_AUTO_IMAGE);
      removeImage(GOLANG_GOPATH_IMAGE);
    },
    make: async () => {
      await commitImage(GOLANG_IMAGE, async () => {}, [
        { name: GOLANG_AUTO_IMAGE, config: { env: { GO111MODULE: 'auto' } } },
      ]);
      await commitImage(
        GOLANG_IMAGE,
        async (root) =>
          writeFileSync(join(root, 'usr/local/bin/go-wrapper'), GO_WRAPPER, { mode: 0o755 }),
        [{ name: GOLANG_GOPATH_IMAGE, config: { env: { GO111MODULE: 'off' } } }],
      );
    },
  });
}

// ---------------------------------------------------------------------------------------------
// The run helper

/** The helper's file name in helperDir(). */
export const RUN_HELPER = 'run-redirect';

/**
 * buildah 1.28's `run` relays the program's stdout and stderr through pipes and exits as soon as
 * the program has, without draining them: under load the output of a short program is lost now
 * and then. The tests therefore start each program through this static helper, which points
 * stdout and stderr at files and execs the program, so nothing goes through the relay. The exec
 * keeps argv, the environment, the user, the working directory and the exit status; a program
 * that cannot be started gives 127, as a container runtime does.
 */
const RUN_HELPER_SOURCE = `// usage: run-redirect STDOUT-FILE STDERR-FILE PROGRAM [ARG...]
package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: run-redirect STDOUT-FILE STDERR-FILE PROGRAM [ARG...]")
		os.Exit(125)
	}
	for i, fd := range []int{1, 2} {
		f, err := os.OpenFile(os.Args[1+i], os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			fmt.Fprintln(os.Stderr, "run-redirect:", err)
			os.Exit(125)
		}
		if err := syscall.Dup3(int(f.Fd()), fd, 0); err != nil {
			fmt.Fprintln(os.Stderr, "run-redirect:", err)
			os.Exit(125)
		}
		f.Close()
	}
	path, err := exec.LookPath(os.Args[3])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(127)
	}
	err = syscall.Exec(path, os.Args[3:], os.Environ())
	fmt.Fprintf(os.Stderr, "exec: %q: %v\\n", path, err)
	os.Exit(126)
}
`;

function runHelperStep(golangKey) {
  const dir = helperDir();
  return step('run-helper', {
    recipe: { RUN_HELPER_SOURCE },
    deps: [golangKey],
    doing: `build the static ${RUN_HELPER} helper with the golang stand-in`,
    exists: () => existsSync(join(dir, RUN_HELPER)),
    clean: () => rmSync(dir, { recursive: true, force: true }),
    make: async () => {
      const container = (await buildahChecked(['from', '--pull=never', GOLANG_IMAGE])).trim();
      try {
        const root = (await buildahChecked(['mount', container])).trim();
        mkdirSync(join(root, 'tmp/run-helper'), { recursive: true });
        writeFileSync(join(root, 'tmp/run-helper/main.go'), RUN_HELPER_SOURCE);
        await buildahChecked([
          'run',
          '--isolation',
          'chroot',
          '--workingdir',
          '/tmp/run-helper',
          container,
          '--',
          'env',
          'CGO_ENABLED=0',
          'go',
          'build',
          '-trimpath',
          '-o',
          RUN_HELPER,
          'main.go',
        ]);
        mkdirSync(dir, { recursive: true });
        cpSync(join(root, 'tmp/run-helper', RUN_HELPER), join(dir, RUN_HELPER));
        chmodSync(join(dir, RUN_HELPER), 0o755);
      } finally {
        await buildahChecked(['rm', container]).catch(() => {});
      }
    },
  });
}

// ---------------------------------------------------------------------------------------------
// debian slim

async function debianStep(rootfsKey) {
  const rootfs = join(rootfsDir(), 'debian');
  const config = { env: { PATH: PATH_DEFAULT }, cmd: ['bash'] };
  return step('image-debian', {
    recipe: { config, DEBIAN_TAGS },
    deps: [rootfsKey],
    doing: `import the rootfs as ${DEBIAN_IMAGE}, also tagged ${DEBIAN_TAGS.length} debian names (all bookworm)`,
    exists: () => imageExists(DEBIAN_IMAGE),
    clean: () => removeImage(DEBIAN_IMAGE),
    make: () =>
      commitImage('scratch', (root) => copyTree(rootfs, root), [
        { name: DEBIAN_IMAGE, config, tags: DEBIAN_TAGS },
      ]),
  });
}

// ---------------------------------------------------------------------------------------------
// distroless (GoogleContainerTools/distroless: common/BUILD.bazel, static/static.bzl)

const PASSWD = `root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
`;
const GROUP = `root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
`;
const NSSWITCH = `passwd:         compat
group:          compat
shadow:         compat
gshadow:        files

hosts:          files dns
networks:       files

protocols:      db files
services:       db files
ethers:         db files
rpc:            db files

netgroup:       nis
`;

/** glibc as distroless base has it: the loader, libc and the libraries split from it, NSS, TLS. */
const BASE_LIBRARIES =
  /^(ld-linux[^/]*\.so\.\d+|lib(c|m|dl|rt|pthread|resolv|util|anl|nss_[a-z]+|ssl|crypto)\.so\.\d+)$/;
/** cc adds the C++ runtime and libgcc. */
const CC_LIBRARIES = /^(libgcc_s\.so\.1|libstdc\+\+\.so\.6(\.[\d.]+)?|libgomp\.so\.1(\.[\d.]+)?)$/;

/** The multiarch library folder of a Debian rootfs (usr/lib/x86_64-linux-gnu). */
function multiarchDir(rootfs) {
  const name = readdirSync(join(rootfs, 'usr/lib')).find((entry) => /-linux-gnu/.test(entry));
  if (!name) throw new Error(`no multiarch library folder in ${rootfs}/usr/lib`);
  return `usr/lib/${name}`;
}

function copyMatching(rootfs, root, dir, pattern) {
  if (!existsSync(join(rootfs, dir))) return;
  mkdirSync(join(root, dir), { recursive: true });
  for (const entry of readdirSync(join(rootfs, dir))) {
    if (pattern.test(entry)) {
      cpSync(join(rootfs, dir, entry), join(root, dir, entry), { verbatimSymlinks: true });
    }
  }
}

/** static: users, homes, /tmp, CA bundle, zoneinfo, os-release; Debian 13's merged /usr. */
function fillStatic(rootfs, root) {
  for (const dir of ['usr/bin', 'usr/sbin', 'usr/lib', 'usr/lib64', 'etc/ssl/certs', 'usr/share']) {
    mkdirSync(join(root, dir), { recursive: true });
  }
  for (const dir of ['bin', 'sbin', 'lib', 'lib64']) symlinkSync(`usr/${dir}`, join(root, dir));
  writeFileSync(join(root, 'etc/passwd'), PASSWD);
  writeFileSync(join(root, 'etc/group'), GROUP);
  writeFileSync(join(root, 'etc/nsswitch.conf'), NSSWITCH);
  cpSync(join(rootfs, 'usr/lib/os-release'), join(root, 'usr/lib/os-release'));
  symlinkSync('../usr/lib/os-release', join(root, 'etc/os-release'));
  cpSync(
    join(rootfs, 'etc/ssl/certs/ca-certificates.crt'),
    join(root, 'etc/ssl/certs/ca-certificates.crt'),
  );
  cpSync(join(rootfs, 'usr/share/zoneinfo'), join(root, 'usr/share/zoneinfo'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  mkdirSync(join(root, 'tmp'));
  chmodSync(join(root, 'tmp'), 0o1777);
  mkdirSync(join(root, 'root'), { mode: 0o700 });
  mkdirSync(join(root, 'home/nonroot'), { recursive: true });
  chmodSync(join(root, 'home/nonroot'), 0o700);
  chownSync(join(root, 'home/nonroot'), 65532, 65532);
}

function distrolessConfig(user) {
  return {
    env: { PATH: PATH_DEFAULT, SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt' },
    // As static.bzl sets them: the numeric uid alone, and the user's home as the workdir.
    user: user === 'nonroot' ? '65532' : '0',
    workingDir: user === 'nonroot' ? '/home/nonroot' : '/',
  };
}

async function distrolessStep(rootfsKey) {
  const rootfs = join(rootfsDir(), 'golang');
  const images = DISTROLESS_FLAVOURS.flatMap((flavour) =>
    Object.keys(DISTROLESS_USERS).map((user) => distrolessImage(flavour, user)),
  );
  return step('image-distroless', {
    recipe: {
      PASSWD,
      GROUP,
      NSSWITCH,
      libraries: [String(BASE_LIBRARIES), String(CC_LIBRARIES)],
      configs: [distrolessConfig('root'), distrolessConfig('nonroot')],
      names: DISTROLESS_FLAVOURS.map((f) => [
        distrolessNames(f, 'root'),
        distrolessNames(f, 'nonroot'),
      ]),
    },
    deps: [rootfsKey],
    doing: `distroless ${DISTROLESS_FLAVOURS.join(', ')} (root and nonroot, debian11/12/13 names)`,
    exists: () => images.every(imageExists),
    clean: () => images.forEach(removeImage),
    make: async () => {
      const lib = multiarchDir(rootfs);
      const fills = {
        static: (root) => fillStatic(rootfs, root),
        base: (root) => {
          copyMatching(rootfs, root, lib, BASE_LIBRARIES);
          // The loader's standard path (/lib64/ld-linux-x86-64.so.2 on amd64).
          copyMatching(rootfs, root, 'usr/lib64', /^ld-linux/);
          copyMatching(rootfs, root, 'usr/lib', /^ld-linux/);
        },
        cc: (root) => copyMatching(rootfs, root, lib, CC_LIBRARIES),
      };
      // Each flavour is the previous one plus libraries, as in distroless.
      let from = 'scratch';
      for (const flavour of DISTROLESS_FLAVOURS) {
        await commitImage(
          from,
          async (root) => fills[flavour](root),
          Object.keys(DISTROLESS_USERS).map((user) => ({
            name: distrolessImage(flavour, user),
            config: distrolessConfig(user),
            tags: distrolessNames(flavour, user),
          })),
        );
        from = distrolessImage(flavour, 'root');
      }
    },
  });
}

// ---------------------------------------------------------------------------------------------

/** The tool check the runner and this script share; null when all are there. */
export function missingTools() {
  const missing = ['buildah', 'debootstrap'].filter((tool) => !hasCommand(tool));
  return missing.length > 0
    ? 'test:build needs buildah and debootstrap: apt-get install -y buildah debootstrap'
    : null;
}

/** Makes every base image that is missing or out of date. The caller holds the lock. */
export async function ensureBaseImages() {
  const started = performance.now();
  made.length = 0;
  // A container left by an interrupted run would keep its image from being removed.
  buildah(['rm', '--all']);
  // The two debootstraps run side by side (about a minute together); each image is imported as
  // soon as its rootfs is there.
  const [golangRootfs] = await Promise.all([
    rootfsStep('golang', GOLANG_PACKAGES),
    rootfsStep('debian', []).then(debianStep),
  ]);
  await Promise.all([golangSteps(golangRootfs).then(runHelperStep), distrolessStep(golangRootfs)]);
  const summary = made.length > 0 ? `made ${made.join(', ')}` : 'all up to date';
  log(`base images ready in ${seconds(started)} (${summary}; cache ${cacheDir()})`);
}

/** What a golang tag stands for here: Go 1.19 configured as that release's image behaved. */
function golangStandIn(tag) {
  const match = /^(\d+)\.(\d+)/.exec(tag);
  if (!match || Number(match[1]) !== 1) return GOLANG_IMAGE;
  const minor = Number(match[2]);
  if (minor < 11) return GOLANG_GOPATH_IMAGE;
  if (minor < 16) return GOLANG_AUTO_IMAGE;
  return GOLANG_IMAGE;
}

/**
 * The local image a reference is served by: { image, tag } (tag: a name to give it first, for
 * golang tags), { builtin } for scratch, or { missing: why }.
 */
export function standInFor(reference) {
  if (reference.toLowerCase() === 'scratch') return { builtin: true };
  const { name, tag, digest, full } = normalizeReference(reference);
  if (isAlpine(reference)) {
    return { missing: `${reference} is an alpine image, which cannot be made here (no apk)` };
  }
  if (digest) {
    return { missing: `${reference} is pinned by digest, which no local stand-in can match` };
  }
  if (name === 'docker.io/library/golang') return { image: golangStandIn(tag), tag: full };
  if (DEBIAN_TAGS.includes(full)) return { image: DEBIAN_IMAGE };
  for (const flavour of DISTROLESS_FLAVOURS) {
    for (const user of Object.keys(DISTROLESS_USERS)) {
      if (distrolessNames(flavour, user).includes(full)) {
        return { image: distrolessImage(flavour, user) };
      }
    }
  }
  return { missing: `no stand-in image for ${reference} (${full})` };
}

/** Gives the golang stand-ins the names the cases use (docker.io/library/golang:1.22, ...). */
export function tagGolang(references) {
  const byImage = new Map();
  for (const reference of references) {
    const standIn = standInFor(reference);
    if (!standIn.tag) continue;
    if (!byImage.has(standIn.image)) byImage.set(standIn.image, new Set());
    byImage.get(standIn.image).add(standIn.tag);
  }
  for (const [image, tags] of byImage) buildah(['tag', image, ...tags]);
  return [...byImage.values()].reduce((n, tags) => n + tags.size, 0);
}

async function main() {
  const missing = missingTools();
  if (missing) {
    console.error(missing);
    process.exit(1);
  }
  if (process.getuid?.() !== 0) {
    console.error('making the base images needs root (debootstrap, buildah storage)');
    process.exit(1);
  }
  acquireLock();
  await ensureBaseImages();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(`[build-images] ${error.message}`);
    console.error(`[build-images] if the cache is damaged, remove ${cacheDir()} and run again`);
    process.exit(1);
  });
}
