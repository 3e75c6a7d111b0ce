/**
 * Which program a build command line runs and with which subcommand: `docker build`, `docker
 * buildx build`, `podman build`, `buildah bud`, also behind words that do not change what is
 * built (`sudo -u ci`, `env A=b`, `timeout 10m`, `time`, `exec`, `retry.sh -n 3`) and behind
 * words that are only a variable (`$PREFIX docker build`), or named by a variable the file sets
 * (`$DOCKER build`);
 * the options of those commands that take a value, and whether Docker's classic builder runs
 * (`DOCKER_BUILDKIT=0`).
 */
import { programName, type SimpleCommand } from '../core/model/shell';
import { substitute, type VariableScope } from './variables';
import { basename } from '../core/text/posix-path';

/**
 * A word that may stand before the build program without changing what it builds: its options
 * that take a value, how many words of its own follow (`timeout 10m`), and whether counts and
 * delays (`3`, `10s`) may stand among its options.
 */
interface Wrapper {
  values: readonly string[];
  operands: number;
  counts?: boolean;
}

const WRAPPERS = new Map<string, Wrapper>([
  ['sudo', { values: ['-u', '-g', '-h', '-p', '-C', '-D', '-R', '-T', '-U'], operands: 0 }],
  ['env', { values: ['-u', '-C', '-S'], operands: 0 }],
  ['time', { values: ['-f', '-o'], operands: 0 }],
  ['exec', { values: ['-a'], operands: 0 }],
  ['command', { values: [], operands: 0 }],
  ['nohup', { values: [], operands: 0 }],
  ['nice', { values: ['-n'], operands: 0 }],
  ['ionice', { values: ['-c', '-n', '-p'], operands: 0 }],
  ['stdbuf', { values: ['-i', '-o', '-e'], operands: 0 }],
  ['timeout', { values: ['-s', '-k'], operands: 1 }],
]);

/** A word that is one variable and nothing else (`$PREFIX`, `${SUDO}`, make's unknown value). */
const VARIABLE_ONLY = /^\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;

/** The programs whose build subcommands are read. */
const BUILD_PROGRAMS = new Set(['docker', 'nerdctl', 'docker-buildx', 'podman', 'buildah']);

/**
 * A retry helper that runs the command after it again when it fails (`retry docker build`,
 * `./scripts/retry.sh -n 3 docker buildx build`): its options, and counts or delays, skipped.
 */
const RETRY = /^retry(?:[-_][\w-]*)?(?:\.sh)?$/;
const RETRY_WRAPPER: Wrapper = { values: [], operands: 0, counts: true };

function wrapperOf(word: string | undefined): Wrapper | undefined {
  if (word === undefined) return undefined;
  return WRAPPERS.get(word) ?? (RETRY.test(basename(word)) ? RETRY_WRAPPER : undefined);
}

/** Where the program starts after the wrapper words at `start` (`sudo -u ci`, `env A=b`, `timeout 10m`). */
function skipWrappers(words: readonly string[], start: number): number {
  let i = start;
  for (let wrapper = wrapperOf(words[i]); wrapper; wrapper = wrapperOf(words[i])) {
    i++;
    let operands = wrapper.operands;
    while (i < words.length) {
      const word = words[i];
      if (wrapper.values.includes(word)) i += 2;
      else if (word.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) i++;
      else if (wrapper.counts && /^\d+[smh]?$/.test(word)) i++;
      else if (operands > 0) {
        operands--;
        i++;
      } else break;
    }
  }
  return i;
}

/**
 * The build program and subcommand at the start of a command: how many words they take, and
 * whether podman's/buildah's Containerfile default applies. Undefined when it is not a build.
 * A word that is only a variable may stand before the program (`$PREFIX docker build`, set to
 * `echo` for a dry run or to `sudo`): the command is read as the build it runs when the variable
 * is empty. A first word that is only a variable set to a build program (`DOCKER=podman`,
 * `$DOCKER build`) is that program.
 */
export function buildVerb(
  words: readonly string[],
  scope: VariableScope = new Map(),
): { skip: number; containerfile: boolean; program: number; name: string } | undefined {
  let i = skipWrappers(words, 0);
  let program = programName({ text: words[i] ?? '', dynamic: false, glob: false });
  for (let prefixes = 0; prefixes < 4 && VARIABLE_ONLY.test(words[i] ?? ''); prefixes++) {
    const next = skipWrappers(words, i + 1);
    const after = programName({ text: words[next] ?? '', dynamic: false, glob: false }) ?? '';
    if (BUILD_PROGRAMS.has(after) || VARIABLE_ONLY.test(words[next] ?? '')) {
      i = next;
      program = after;
      continue;
    }
    // `$DOCKER build`: the variable names the program.
    const value = substitute(words[i], scope);
    if (value !== null) program = programName({ text: value.trim(), dynamic: false, glob: false });
    break;
  }
  const at = i;
  const a = words[i + 1];
  const b = words[i + 2];
  if (program === 'docker' || program === 'nerdctl') {
    if (a === 'build') return { skip: i + 2, containerfile: false, program: at, name: program };
    if ((a === 'image' || a === 'buildx' || a === 'builder') && b === 'build') {
      return { skip: i + 3, containerfile: false, program: at, name: program };
    }
    return undefined;
  }
  if (program === 'docker-buildx' && a === 'build')
    return { skip: i + 2, containerfile: false, program: at, name: program };
  if (program === 'podman') {
    if (a === 'build') return { skip: i + 2, containerfile: true, program: at, name: program };
    if ((a === 'image' || a === 'buildx') && b === 'build')
      return { skip: i + 3, containerfile: true, program: at, name: program };
    return undefined;
  }
  if (program === 'buildah' && (a === 'bud' || a === 'build' || a === 'build-using-dockerfile')) {
    return { skip: i + 2, containerfile: true, program: at, name: program };
  }
  return undefined;
}

/** Options of the build commands that take a value (as a separate word, or after `=`). */
export const VALUE_OPTIONS = new Set([
  '-f',
  '--file',
  '-t',
  '--tag',
  '--target',
  '--platform',
  '--build-arg',
  '-o',
  '--output',
  '--cache-from',
  '--cache-to',
  '--label',
  '--network',
  '--secret',
  '--ssh',
  '--progress',
  '--iidfile',
  '--metadata-file',
  '--build-context',
  '--add-host',
  '--cgroup-parent',
  '--shm-size',
  '--ulimit',
  '-m',
  '--memory',
  '--memory-swap',
  '--cpu-shares',
  '--cpu-period',
  '--cpu-quota',
  '--cpuset-cpus',
  '--cpuset-mems',
  '-c',
  '--isolation',
  '--attest',
  '--annotation',
  '--allow',
  '--builder',
  '--call',
  '--no-cache-filter',
  '--security-opt',
  '--format',
  '--manifest',
  '--arch',
  '--os',
  '--variant',
  '--jobs',
  '--layers',
  '--build-arg-file',
  '--env',
  '--volume',
  '-v',
  '--creds',
  '--authfile',
  '--cert-dir',
  '--sign-by',
  '--timestamp',
  '--logfile',
  '--runtime',
  '--userns',
  '--pid',
  '--ipc',
  '--uts',
  '--device',
  '--dns',
  '--dns-option',
  '--dns-search',
  '--from',
  '--decryption-key',
  '--hooks-dir',
  '--ignorefile',
  '--iidfile-raw',
  '--retry',
  '--retry-delay',
  '--sbom',
  '--provenance',
]);

/**
 * `DOCKER_BUILDKIT=0 docker build` (the variable set on the command, through `env`, or exported
 * before it): Docker's classic builder. `docker buildx build` always uses BuildKit.
 */
export function classicBuilder(
  command: Partial<Pick<SimpleCommand, 'assignments'>>,
  raw: readonly string[],
  verb: { program: number; name: string },
  scope: VariableScope,
): boolean {
  if (verb.name !== 'docker' || raw[verb.program + 1] === 'buildx') return false;
  const off = (value: string | null | undefined) => value === '0' || value === 'false';
  const inline = command.assignments?.find((a) => a.name === 'DOCKER_BUILDKIT');
  if (inline) return off(substitute(inline.value.text, scope));
  const wrapped = raw.slice(0, verb.program).find((w) => w.startsWith('DOCKER_BUILDKIT='));
  if (wrapped) return off(wrapped.slice('DOCKER_BUILDKIT='.length));
  return off(scope.get('DOCKER_BUILDKIT'));
}
