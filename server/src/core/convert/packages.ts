/**
 * Packages the image installs with apk, apt or dnf, sorted for the conversion: build tools that
 * stay behind in the build stage, what every runtime already has (CA certificates, zoneinfo), and
 * what the program may need at run time (ffmpeg, dmsetup, sqlite, ...). A runtime that cannot
 * install the last kind would start a program that fails later, so the conversion moves to
 * alpine for apk packages, to Debian slim for apt packages, and refuses for RPM ones.
 */
import { serviceChecks } from '../facts/start-overrides';
import { parseImageReference } from '../model/images';
import type { Stage } from '../model/model';
import { packageCommand, packageName, type PackageManager } from '../model/package-commands';
import { parseScript, programName } from '../model/shell';
import { stageChain } from '../facts/start';
import { basename } from '../text/posix-path';
import { ALPINE_RUNTIME, Refusal, type Plan } from './plan';
import type { RuntimePart } from './parts';

export interface InstalledPackages {
  /** The manager of the first install command (the base image's family). */
  manager?: PackageManager;
  /** Packages the program may need at run time, in install order. */
  runtime: string[];
  /** zoneinfo was installed (tzdata). */
  tzdata: boolean;
  /** An install command whose package list comes from a variable, as written. */
  dynamic?: string;
  /** Runtime packages the image pinned to a version (`ffmpeg=6.1.2-r0`). */
  pinned: string[];
}

// Compilers, headers, version control, archivers and downloaders: what a Go build uses.
const BUILD_PACKAGES = new Set([
  'git',
  'git-lfs',
  'gcc',
  'g++',
  'clang',
  'llvm',
  'lld',
  'make',
  'cmake',
  'ninja',
  'ninja-build',
  'build-base',
  'build-essential',
  'musl-dev',
  'libc-dev',
  'libc6-dev',
  'binutils',
  'pkgconf',
  'pkgconfig',
  'pkg-config',
  'autoconf',
  'automake',
  'libtool',
  'm4',
  'upx',
  'upx-ucl',
  'protobuf',
  'protobuf-compiler',
  'protoc',
  'openssh',
  'openssh-client',
  'ssh',
  'mercurial',
  'bzr',
  'breezy',
  'subversion',
  'fossil',
  'patch',
  'unzip',
  'zip',
  'tar',
  'xz',
  'xz-utils',
  'gzip',
  'bzip2',
  'zstd',
  'file',
  'curl',
  'wget',
  'gnupg',
  'gnupg2',
  'gpg',
  'sudo',
  'nodejs',
  'npm',
  'yarn',
  'go',
  'golang',
  'jq',
  'rsync',
  'vim',
  'nano',
  'less',
  'bash',
  'coreutils',
  'findutils',
  'grep',
  'sed',
  'gawk',
  'lsb-release',
  'apt-transport-https',
  'software-properties-common',
  'locales',
]);

// What every runtime the conversion writes already has, or is given by it.
const PROVIDED_PACKAGES = new Set(['ca-certificates', 'tzdata']);

// Programs of build packages named otherwise than their package (Debian's and alpine's names):
// a program started at run time keeps its package in the runtime.
const PROGRAM_PACKAGES: ReadonlyMap<string, readonly string[]> = new Map([
  ['node', ['nodejs']],
  ['npx', ['npm']],
  ['ssh', ['openssh', 'openssh-client']],
  ['scp', ['openssh', 'openssh-client']],
  ['gpg', ['gnupg', 'gnupg2']],
  ['hg', ['mercurial']],
  ['svn', ['subversion']],
  ['xz', ['xz-utils']],
  ['awk', ['gawk']],
  ['protoc', ['protobuf', 'protobuf-compiler']],
]);

function isBuildPackage(name: string): boolean {
  return (
    BUILD_PACKAGES.has(name) ||
    /-(dev|devel|doc|docs|headers|static)$/.test(name) ||
    /^(gcc|g\+\+|clang|llvm|linux-headers|golang)-/.test(name)
  );
}

/**
 * What the stage and its parents install. `startPrograms` are the programs the start commands
 * run: a build tool they run (`curl` in a HEALTHCHECK) is needed at run time too.
 */
function installedPackages(stage: Stage, startPrograms: Set<string>): InstalledPackages {
  const result: InstalledPackages = { runtime: [], tzdata: false, pinned: [] };
  const installed = new Map<string, boolean>();
  for (const s of stageChain(stage).reverse()) {
    for (const run of s.runs) {
      for (const command of run.commands) {
        const parsed = packageCommand(command);
        if (!parsed) continue;
        if (parsed.action === 'remove') {
          for (const word of parsed.names) {
            const name = packageName(word.text);
            installed.delete(name);
            if (name === 'tzdata') result.tzdata = false;
          }
          continue;
        }
        if (parsed.action !== 'install') continue;
        result.manager ??= parsed.manager;
        for (const word of parsed.names) {
          if (word.dynamic) {
            result.dynamic ??= command.words.map((w) => w.text).join(' ');
            continue;
          }
          const name = packageName(word.text);
          if (name === 'tzdata') result.tzdata = true;
          const needed =
            !parsed.virtual &&
            !PROVIDED_PACKAGES.has(name) &&
            (!isBuildPackage(name) ||
              startPrograms.has(name) ||
              [...startPrograms].some((p) => PROGRAM_PACKAGES.get(p)?.includes(name)));
          installed.set(name, needed || (installed.get(name) ?? false));
          if (needed && name !== word.text) result.pinned.push(word.text);
        }
      }
    }
  }
  for (const [name, needed] of installed) if (needed) result.runtime.push(name);
  return result;
}

// Programs the Debian-based golang images have (buildpack-deps' scm and curl layers with what
// they depend on: openssl for ca-certificates, perl for git, python3 for mercurial; gcc, g++ and
// make), by the Debian package that provides them; the alpine ones have busybox's applets only.
const DEBIAN_GOLANG_PROGRAMS: ReadonlyMap<string, string> = new Map([
  ['git', 'git'],
  ['curl', 'curl'],
  ['wget', 'wget'],
  ['ssh', 'openssh-client'],
  ['scp', 'openssh-client'],
  ['hg', 'mercurial'],
  ['svn', 'subversion'],
  ['gpg', 'gnupg'],
  ['make', 'make'],
  ['gcc', 'gcc'],
  ['xz', 'xz-utils'],
  ['unzip', 'unzip'],
  ['procps', 'procps'],
  ['ps', 'procps'],
  ['openssl', 'openssl'],
  ['python3', 'python3'],
  ['perl', 'perl'],
  ['g++', 'g++'],
  ['pgrep', 'procps'],
  ['pkill', 'procps'],
  ['top', 'procps'],
  ['free', 'procps'],
  ['watch', 'procps'],
]);

// Applets of alpine's busybox that a program may start: the alpine-based golang images have
// them, and so does the alpine runtime (distroless and scratch do not).
const ALPINE_APPLETS: ReadonlySet<string> = new Set(
  (
    'awk base64 basename cat chmod chown cp cut date dd df dirname du echo env expr false find ' +
    'free grep gunzip gzip head hostname id ip kill killall ln ls md5sum mkdir mktemp mv nc ' +
    'netstat nice nohup nproc nslookup pgrep pidof ping pkill printf ps pwd readlink realpath ' +
    'rm rmdir sed seq sha1sum sha256sum sha512sum sleep sort stat sync tail tar tee test ' +
    'timeout top touch tr true uname uniq unzip uptime wc wget which whoami xargs yes zcat'
  ).split(' '),
);

/** Whether the program is one of busybox's applets on an alpine-based golang image. */
export function busyboxHas(stage: Stage, program: string): boolean {
  return stage.facts.libc === 'musl' && ALPINE_APPLETS.has(program);
}

/**
 * The package that gives the runtime a program the golang image had without installing it, or
 * undefined when the runtime needs none for it (a shell, busybox's applets, a program the image
 * did not have).
 */
function toolchainImagePackage(stage: Stage, program: string): string | undefined {
  if (stage.facts.family !== 'golang' || stage.facts.libc !== 'glibc') return undefined;
  return DEBIAN_GOLANG_PROGRAMS.get(program);
}

/** Whether the golang image the stage builds on has the program (the runtime must get it). */
export function toolchainImageHas(stage: Stage, program: string): boolean {
  if (['sh', 'bash', 'env', 'cat', 'ls', 'cp', 'mv', 'rm', 'tar', 'gzip'].includes(program))
    return true;
  if (stage.facts.libc === 'musl') return program === 'ash';
  return toolchainImagePackage(stage, program) !== undefined;
}

const DEBIAN_CODENAMES = new Set(['bullseye', 'bookworm', 'trixie']);

/** The runtime installs packages with apt-get (Docker Hub's debian and ubuntu images). */
export function installsWithApt(plan: Plan): boolean {
  if (plan.runtime.family !== 'debian-like') return false;
  const reference = parseImageReference(plan.runtimeImage);
  return reference.registry === undefined && ['debian', 'ubuntu'].includes(reference.repository);
}

/** A slim Debian runtime of the builder's release (`golang:1.24-bookworm` → bookworm). */
export function debianRuntimeFor(stage: Stage): string {
  const variant = stage.facts.variant?.split('-').find((part) => DEBIAN_CODENAMES.has(part));
  return `debian:${variant ?? 'trixie'}-slim`;
}

/** `a`, `a and b`, `a, b and c`, `a, b, c and 2 more`. */
function listing(names: string[]): string {
  const shown = names.length > 4 ? [...names.slice(0, 3), `${names.length - 3} more`] : names;
  return shown.length === 1
    ? shown[0]
    : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** The programs the start commands run (every command of a shell form). */
function startPrograms(stage: Stage): Set<string> {
  const programs = new Set<string>();
  for (const command of [stage.cmd, stage.entrypoint, stage.healthcheck]) {
    if (!command) continue;
    if (command.exec) {
      const first = command.exec[0]?.text;
      if (first) programs.add(basename(first));
      continue;
    }
    for (const c of parseScript(command.shell ?? '').commands) {
      const name = programName(c.words[0]);
      if (name) programs.add(name);
    }
  }
  return programs;
}

/**
 * Carries the packages the program may need at run time: a runtime of the same family (alpine
 * for apk, Debian slim of the builder's release for apt) installs them again; the default
 * runtime switches to it; a runtime chosen explicitly that cannot install them, or RPM packages,
 * refuse the conversion with the reason.
 */
export function planPackages(
  plan: Plan,
  /** C headers the cgo binary was built against: their packages bring its shared libraries. */
  headers: string[] = [],
  /** Programs the program starts (os/exec), by name: they must be in the runtime too. */
  executed: string[] = [],
): Pick<RuntimePart, 'packages' | 'tzdata'> {
  const programs = startPrograms(plan.stage);
  for (const name of executed) programs.add(name);
  // What a compose service's health check runs in the container (`curl -f …`) must stay too.
  for (const check of serviceChecks(plan.model, plan.stage)) {
    for (const name of check.programs) programs.add(name);
  }
  const found = installedPackages(plan.stage, programs);
  for (const header of headers) if (!found.runtime.includes(header)) found.runtime.push(header);
  for (const name of executed) {
    // A program of the golang image itself (git, curl): the runtime installs its package.
    const imagePackage = toolchainImagePackage(plan.stage, name);
    if (imagePackage && !found.runtime.includes(imagePackage)) {
      found.manager ??= plan.stage.facts.libc === 'musl' ? 'apk' : 'apt-get';
      found.runtime.push(imagePackage);
    }
  }
  if (found.dynamic) {
    throw new Refusal(
      `the packages of \`${found.dynamic}\` are named by a variable, so what the program needs at run time cannot be known.`,
    );
  }
  if (found.runtime.length === 0) return { packages: [], tzdata: found.tzdata };
  const others = found.runtime.filter((p) => !headers.includes(p));
  const parts = [
    ...(headers.length > 0 ? [`the cgo binary links the libraries of ${listing(headers)}`] : []),
    ...(others.length > 0 ? [`the program may need ${listing(others)} at run time`] : []),
  ];
  const needs = `${parts.join(', and ')} (installed with ${found.manager} in the original image)`;
  if (found.manager === 'dnf') {
    throw new Refusal(
      `${needs}: the runtimes offered cannot install RPM packages, so the runtime stage has to be an RPM-based image that installs them.`,
    );
  }
  // The same package names, from a runtime of the same family.
  const alpine = found.manager === 'apk';
  const fits = alpine ? plan.runtime.family === 'alpine' : installsWithApt(plan);
  if (!fits) {
    if (plan.explicitRuntime) {
      const choose = alpine ? 'alpine' : 'a Debian image such as debian:trixie-slim';
      throw new Refusal(
        `${needs}, and ${plan.runtimeImage} cannot install them; choose ${choose}.`,
      );
    }
    const image = alpine ? ALPINE_RUNTIME : debianRuntimeFor(plan.stage);
    const instead = plan.runtime.family === 'distroless' ? 'distroless' : plan.runtimeImage;
    plan.switchRuntime(image, needs, [`${image}, not ${instead}: ${parts.join(', and ')}.`]);
  }
  if (found.pinned.length > 0) {
    plan.notes.push(
      `${plan.runtimeImage} installs ${listing(found.runtime)} without the build stage's version pins (${found.pinned.join(', ')}): those versions belong to the build image's release.`,
    );
  }
  return { packages: found.runtime, tzdata: found.tzdata };
}
