/**
 * What each stage writes into its filesystem, as far as the Dockerfile tells: Go outputs, COPY
 * destinations, files that known commands create. A RUN that does something the analysis cannot
 * follow (`make`, a script) makes the stage "opaque": from then on any path may exist, and rules
 * that need certainty stay silent.
 */
import type { Instruction } from 'dockerfile-ast';
import type { GoInvocation, GoOutput } from './go-invocation';
import { programName, type SimpleCommand } from './shell';
import { gitCloneOf } from './git-clone';
import { downloadEffect } from './download-effect';
import { matchSegment } from '../text/glob';
import {
  basename,
  isAbsolute,
  isWithin,
  join,
  resolve,
  trimTrailingSlashes,
} from '../text/posix-path';
import { KeyedCache } from '../keyed-cache';

/** A Go binary as produced by a go invocation, carried along when copied between stages. */
export interface GoBinary {
  name: string;
  /** Where the build wrote it. */
  builtAt: string;
  call: GoCallRef;
}

/** A go invocation with its place in the Dockerfile (filled in by the model). */
export interface GoCallRef {
  invocation: GoInvocation;
  output: GoOutput;
  instruction: Instruction;
  stageIndex: number;
}

export interface FsEntry {
  path: string;
  /** `file`: exactly this path. `tree`: this directory and whatever lies below it. */
  kind: 'file' | 'tree';
  origin: 'go' | 'copy' | 'run' | 'mkdir' | 'workdir';
  /** For trees: the relative paths known to be inside, when the content is fully known. */
  contents?: ReadonlySet<string>;
  /**
   * For what a COPY brought from the known build context: the context path it came from (`''`
   * for the whole context), so that the files below a tree can be read.
   */
  contextPath?: string;
  /** For trees filled by a glob COPY (`COPY *.go ./`): the file names it can have brought. */
  pattern?: string;
  /** A tree of sources `git clone` wrote (not files a program reads at run time). */
  cloned?: boolean;
  /** Go binaries this entry is (file) or holds (tree). */
  goBinaries?: GoBinary[];
  instruction: Instruction;
}

export type Presence = 'yes' | 'maybe' | 'no';

const directories = new KeyedCache<ReadonlySet<string>, Set<string>>();

/** The directories a set of relative file paths implies (`a/b/c` → `a`, `a/b`), built once. */
function directoriesOf(files: ReadonlySet<string>): Set<string> {
  let dirs = directories.get(files);
  if (!dirs) {
    dirs = new Set();
    for (const file of files) {
      for (let slash = file.indexOf('/'); slash > 0; slash = file.indexOf('/', slash + 1)) {
        dirs.add(file.slice(0, slash));
      }
    }
    directories.set(files, dirs);
  }
  return dirs;
}

/** The writes of one stage, including those inherited from its parent stage. */
export class StageFs {
  readonly entries: FsEntry[] = [];
  /** The first RUN whose writes cannot be followed, if any. */
  opaque: Instruction | undefined;
  /** Prefixes written by package managers and similar system tools. */
  readonly systemWrites: string[] = [];

  constructor(parent?: StageFs) {
    if (parent) {
      this.entries.push(...parent.entries);
      this.opaque = parent.opaque;
      this.systemWrites.push(...parent.systemWrites);
    }
  }

  add(entry: FsEntry): void {
    this.entries.push(entry);
  }

  markOpaque(instruction: Instruction): void {
    this.opaque ??= instruction;
  }

  /**
   * Whether a path exists from what the stage wrote: `yes` when an entry provides it, `maybe`
   * when something unknown could have, `no` when nothing written could have.
   */
  lookup(
    path: string,
    ignore?: (entry: FsEntry) => boolean,
  ): { presence: Presence; entry?: FsEntry } {
    let maybe: FsEntry | undefined;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i];
      if (ignore?.(entry)) continue;
      if (entry.path === path) return { presence: 'yes', entry };
      // A directory exists when something was written below it.
      if (isWithin(entry.path, path)) return { presence: 'yes', entry };
      if (entry.kind === 'tree' && isWithin(path, entry.path)) {
        const relative = path.slice(entry.path === '/' ? 1 : entry.path.length + 1);
        if (entry.contents) {
          if (entry.contents.has(relative) || directoriesOf(entry.contents).has(relative)) {
            return { presence: 'yes', entry };
          }
          continue;
        }
        if (entry.goBinaries?.some((b) => b.name === relative)) return { presence: 'yes', entry };
        if (
          entry.pattern !== undefined &&
          (relative.includes('/') || !matchSegment(entry.pattern, relative))
        ) {
          continue;
        }
        maybe ??= entry;
      }
    }
    if (maybe) return { presence: 'maybe', entry: maybe };
    if (this.opaque) return { presence: 'maybe' };
    if (this.systemWrites.some((prefix) => isWithin(path, prefix))) return { presence: 'maybe' };
    return { presence: 'no' };
  }

  /**
   * Whether the stage is known to have a directory at `path`: something was written below it,
   * or a WORKDIR or mkdir made it.
   */
  isDirectory(path: string): boolean {
    return this.entries.some(
      (entry) =>
        (entry.path !== path && isWithin(entry.path, path)) ||
        (entry.path === path && (entry.origin === 'workdir' || entry.origin === 'mkdir')),
    );
  }

  /** Go binaries present in the stage (copied in or built here). */
  goBinaries(): { path: string; binary: GoBinary; entry: FsEntry }[] {
    const result: { path: string; binary: GoBinary; entry: FsEntry }[] = [];
    for (const entry of this.entries) {
      for (const binary of entry.goBinaries ?? []) {
        const path = entry.kind === 'file' ? entry.path : join(entry.path, binary.name);
        result.push({ path, binary, entry });
      }
    }
    return result;
  }
}

// Commands that write nothing the rules care about (or only modify files that already exist).
const HARMLESS = new Set([
  'echo',
  'printf',
  'true',
  'false',
  'set',
  'export',
  'unset',
  'cd',
  'test',
  '[',
  'ls',
  'cat',
  'pwd',
  'which',
  'id',
  'whoami',
  'uname',
  'sleep',
  'exit',
  ':',
  'chmod',
  'chown',
  'chgrp',
  'rm',
  'ldd',
  'file',
  'sha256sum',
  'sha512sum',
  'md5sum',
  'grep',
  'sed',
  'strip',
  'upx',
  'setcap',
  'du',
  'df',
  'find',
  'stat',
  'readlink',
  'sync',
  'date',
  'env',
]);

// Package managers and account tools: they write system directories, not build outputs.
const SYSTEM_TOOLS = new Set([
  'apk',
  'apt-get',
  'apt',
  'dpkg',
  'yum',
  'dnf',
  'microdnf',
  'zypper',
  'tdnf',
  'adduser',
  'addgroup',
  'useradd',
  'groupadd',
  'usermod',
  'update-ca-certificates',
  'ldconfig',
  'locale-gen',
]);

/**
 * The top-level directories of the Linux filesystem layout, which every base image but scratch
 * has: a path that is one of them is there whatever the Dockerfile writes.
 */
export const BASE_LAYOUT_DIRECTORIES: ReadonlySet<string> = new Set([
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/lib64',
  '/media',
  '/mnt',
  '/opt',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/srv',
  '/sys',
  '/tmp',
  '/usr',
  '/var',
]);

/** Where package managers and account tools write. */
export const SYSTEM_WRITE_PREFIXES: readonly string[] = [
  '/usr',
  '/etc',
  '/var',
  '/lib',
  '/lib64',
  '/bin',
  '/sbin',
  '/opt',
  '/home',
  '/root',
  '/run',
];

const GO_QUIET_SUBCOMMANDS = new Set([
  'mod',
  'get',
  'env',
  'version',
  'vet',
  'list',
  'fmt',
  'doc',
  'clean',
  'work',
  'help',
]);

export type CommandEffect =
  | { kind: 'none' }
  | { kind: 'writes'; paths: { path: string; kind: 'file' | 'tree'; cloned?: boolean }[] }
  | { kind: 'system' }
  | { kind: 'opaque' };

type Write = { path: string; kind: 'file' | 'tree'; cloned?: boolean };

/** The files a command's output redirections write, or undefined when that is not known. */
function redirectWrites(command: SimpleCommand, cwd: string | undefined): Write[] | undefined {
  const writes: Write[] = [];
  for (const redirect of command.redirects) {
    if (
      redirect.op !== '>' &&
      redirect.op !== '>>' &&
      redirect.op !== '>|' &&
      redirect.op !== '&>'
    ) {
      continue;
    }
    const target = redirect.target;
    if (!target || target.text.startsWith('&')) continue;
    if (target.dynamic || (!isAbsolute(target.text) && cwd === undefined)) return undefined;
    if (target.text === '/dev/null' || target.text.startsWith('/dev/')) continue;
    writes.push({ path: resolve(cwd ?? '/', target.text), kind: 'file' });
  }
  return writes;
}

/** A path operand resolved against the directory the command runs in. */
type Resolver = (text: string) => string | undefined;

/** What a simple command (not a go build/install, which the model handles) writes. */
export function commandEffect(
  command: SimpleCommand,
  cwd: string | undefined,
  /** Whether the stage is known to have a directory at the path (cp into it keeps names). */
  isDirectory: (path: string) => boolean = () => false,
): CommandEffect {
  const redirects = redirectWrites(command, cwd);
  if (redirects === undefined) return { kind: 'opaque' };
  const words = command.words;
  const name = programName(words[0]);
  if (name === undefined) {
    return redirects.length ? { kind: 'writes', paths: redirects } : { kind: 'none' };
  }
  if (HARMLESS.has(name)) {
    // `env` with a command runs that command: look at it instead.
    if (name === 'env' && words.length > 1) {
      const rest = words.slice(1).filter((w) => !w.text.includes('=') && !w.text.startsWith('-'));
      if (rest.length > 0) return commandEffect({ ...command, words: rest }, cwd, isDirectory);
    }
    return withRedirects({ kind: 'none' }, redirects);
  }
  const resolveWord: Resolver = (text) =>
    isAbsolute(text) ? resolve('/', text) : cwd === undefined ? undefined : resolve(cwd, text);
  return withRedirects(programEffect(command, name, cwd, resolveWord, isDirectory), redirects);
}

function withRedirects(effect: CommandEffect, redirects: Write[]): CommandEffect {
  if (redirects.length === 0 || effect.kind === 'opaque') return effect;
  if (effect.kind === 'writes') return { kind: 'writes', paths: [...effect.paths, ...redirects] };
  return { kind: 'writes', paths: redirects };
}

/** What the program itself writes, its redirections aside. */
function programEffect(
  command: SimpleCommand,
  name: string,
  cwd: string | undefined,
  resolveWord: Resolver,
  isDirectory: (path: string) => boolean,
): CommandEffect {
  const words = command.words;
  if (SYSTEM_TOOLS.has(name)) return { kind: 'system' };
  if (name === 'go') {
    const sub = words[1]?.text;
    if (sub && GO_QUIET_SUBCOMMANDS.has(sub)) return { kind: 'none' };
    if (sub === 'test' && !words.some((w) => w.text === '-c' || w.text.startsWith('-o'))) {
      return { kind: 'none' };
    }
    return { kind: 'opaque' };
  }
  const operands = words.slice(1).filter((w) => !w.text.startsWith('-'));
  if (operands.some((w) => w.dynamic || w.glob)) return { kind: 'opaque' };
  if (name === 'mkdir' || name === 'touch') {
    const paths: Write[] = [];
    for (const operand of operands) {
      const path = resolveWord(operand.text);
      if (path === undefined) return { kind: 'opaque' };
      paths.push({ path, kind: name === 'mkdir' ? 'tree' : 'file' });
    }
    return { kind: 'writes', paths };
  }
  if (name === 'cp' || name === 'mv' || name === 'ln' || name === 'install') {
    return copyEffect(words, name, resolveWord, isDirectory);
  }
  if (name === 'rsync') {
    if (operands.length < 2) return { kind: 'opaque' };
    const destination = resolveWord(operands[operands.length - 1].text);
    if (destination === undefined) return { kind: 'opaque' };
    return { kind: 'writes', paths: [{ path: destination, kind: 'tree' }] };
  }
  if (name === 'git') {
    const clone = gitCloneOf(command);
    if (!clone) return { kind: 'none' };
    const path = clone.dir ? resolveWord(clone.dir) : undefined;
    if (path === undefined) return { kind: 'opaque' };
    return { kind: 'writes', paths: [{ path, kind: 'tree', cloned: true }] };
  }
  if (name === 'curl' || name === 'wget') return downloadEffect(command, name, cwd, resolveWord);
  return { kind: 'opaque' };
}

/**
 * cp, mv, ln and install: what lands where. Into a directory (`-t DIR`, several sources, or a
 * destination the stage is known to have made) each source
 * lands under its own name (`cp -R templates /app` → `/app/templates`); otherwise the destination
 * is written, as a file or a tree (which of the two is not known). `install -d` makes directories.
 */
function copyEffect(
  words: SimpleCommand['words'],
  name: string,
  resolveWord: Resolver,
  isDirectory: (path: string) => boolean,
): CommandEffect {
  const operands: string[] = [];
  let targetDir: string | undefined;
  let noTargetDir = false;
  let makeDirs = false;
  let endOfOptions = false;
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    const text = word.text;
    if (word.dynamic || word.glob) return { kind: 'opaque' };
    if (endOfOptions || !text.startsWith('-') || text === '-') {
      operands.push(text);
    } else if (text === '--') {
      endOfOptions = true;
    } else if (text === '-t' || text === '--target-directory') {
      const value = words[i + 1];
      if (!value || value.dynamic || value.glob) return { kind: 'opaque' };
      targetDir = value.text;
      i++;
    } else if (text.startsWith('--target-directory=')) {
      targetDir = text.slice('--target-directory='.length);
    } else if (text === '-T' || text === '--no-target-directory') {
      noTargetDir = true;
    } else if (name === 'install' && (text === '-d' || text === '--directory')) {
      makeDirs = true;
    } else if (name === 'install' && /^-[a-zA-Z]*[gmo]$/.test(text)) {
      // install's -g GROUP, -m MODE, -o OWNER take a value.
      i++;
    } else if (!text.startsWith('--') && /^-[a-zA-Z]*t./.test(text)) {
      // `-tDIR`, or option letters ending in t with the directory attached (`-vtDIR`).
      targetDir = text.slice(text.indexOf('t') + 1);
    }
  }
  const paths: Write[] = [];
  if (makeDirs) {
    for (const operand of operands) {
      const path = resolveWord(operand);
      if (path === undefined) return { kind: 'opaque' };
      paths.push({ path, kind: 'tree' });
    }
    return paths.length > 0 ? { kind: 'writes', paths } : { kind: 'none' };
  }
  const sources = targetDir === undefined ? operands.slice(0, -1) : operands;
  const written = targetDir ?? operands[operands.length - 1];
  if (written === undefined || sources.length === 0) return { kind: 'opaque' };
  const destination = resolveWord(written);
  if (destination === undefined) return { kind: 'opaque' };
  const intoDirectory =
    !noTargetDir && (targetDir !== undefined || sources.length > 1 || isDirectory(destination));
  if (!intoDirectory) return { kind: 'writes', paths: [{ path: destination, kind: 'tree' }] };
  for (const source of sources) {
    const own = basename(trimTrailingSlashes(source));
    // `cp -R dist/. /app`: the contents, whose names are not known.
    if (own === '' || own === '.' || own === '..') {
      paths.push({ path: destination, kind: 'tree' });
      continue;
    }
    paths.push({ path: join(destination, own), kind: 'tree' });
  }
  return { kind: 'writes', paths };
}
