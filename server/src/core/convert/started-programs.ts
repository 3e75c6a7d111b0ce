/**
 * What the programs the image runs start in their turn, sorted for the conversion (program.ts
 * decides): shell builtins and userland, the toolchain, language runtimes whose modules a
 * package manager installed, and what start commands set outside the Dockerfile (compose
 * `command:`) run.
 */
import { isToolchainProgram } from '../facts/dev-image';
import { stageChain } from '../facts/start';
import { overriddenStarts, programsOf } from '../facts/start-overrides';
import { basename } from '../text/posix-path';
import { Refusal, type Plan } from './plan';

// What a shell runs itself.
export const SHELL_BUILTINS = new Set([
  'set',
  'export',
  'exec',
  'echo',
  'printf',
  'cd',
  'shift',
  'trap',
  'wait',
  'read',
  'test',
  '[',
  '[[',
  'true',
  'false',
  ':',
  'source',
  '.',
  'eval',
  'exit',
  'return',
  'local',
  'unset',
  'umask',
  'ulimit',
  'sleep',
]);

// Programs every shell image has (busybox on alpine, coreutils on Debian), and distroless and
// scratch do not: a program that starts them needs a runtime with a shell's userland.
export const SHELL_USERLAND = new Set([
  'sh',
  'bash',
  'ash',
  'env',
  'cat',
  'ls',
  'cp',
  'mv',
  'rm',
  'mkdir',
  'chmod',
  'chown',
  'ln',
  'echo',
  'tar',
  'gzip',
  'gunzip',
  'sed',
  'awk',
  'grep',
  'find',
  'sort',
  'head',
  'tail',
  'date',
  'kill',
  'ps',
  'xargs',
  'touch',
  'tee',
  'wc',
  'cut',
  'tr',
  'uniq',
  'basename',
  'dirname',
  'id',
  'uname',
  'hostname',
]);

// The Go toolchain's own commands: a program (or start script) that runs them builds or formats
// Go code at run time, and only an image with the toolchain has them.
export const GO_TOOLCHAIN_COMMANDS = new Set(['go', 'gofmt']);

/** A program one of the carried programs or the start script runs, and where that is said. */
export interface StartedProgram {
  program?: string;
  where: string;
  /** Started by a line of the start script, not through os/exec by a Go program. */
  byScript: boolean;
  /** Started by a command a build file sets (compose `command:`), as written. */
  override?: string;
}

/** How a started program is named in a reason: `exec.Command in main.go:11`, `the start script /entrypoint.sh`. */
export function startedBy(exec: StartedProgram): string {
  return exec.byScript ? `the start script ${exec.where}` : `exec.Command in ${exec.where}`;
}

// Language runtimes whose scripts load modules a package manager of their own installs.
export const INTERPRETERS = new Set([
  'node',
  'nodejs',
  'python',
  'python3',
  'ruby',
  'php',
  'java',
  'perl',
]);
const MODULE_INSTALLERS = new Set([
  'npm',
  'yarn',
  'pnpm',
  'pip',
  'pip3',
  'gem',
  'bundle',
  'composer',
  'cpanm',
]);

/** A RUN of the final stage (or those it is built on) that installs a language's modules. */
export function moduleInstall(plan: Plan): string | undefined {
  for (const stage of stageChain(plan.stage)) {
    for (const run of stage.runs) {
      for (const command of run.commands) {
        const words = command.words.map((w) => w.text);
        const name = basename(words[0] ?? '');
        const installs =
          MODULE_INSTALLERS.has(name) && ['install', 'ci', 'add', 'i'].includes(words[1] ?? '');
        if (installs || (name === 'yarn' && words.length === 1)) return words.join(' ');
      }
    }
  }
  return undefined;
}

/**
 * The programs that start commands set outside the Dockerfile run (compose `command:`), but the
 * carried binaries; refused when one is left to a variable or runs the toolchain. A shell among
 * them is a reason for a runtime with one.
 */
export function overrideStarts(
  plan: Plan,
  carried: ReadonlySet<string>,
): { started: StartedProgram[]; shellReason?: string; bash: boolean } {
  const started: StartedProgram[] = [];
  let shellReason: string | undefined;
  let bash = false;
  for (const o of overriddenStarts(plan.model, plan.stage)) {
    if (o.words === null) {
      throw new Refusal(
        `${o.where} starts the image with a command left to a variable the file does not set, so what the runtime stage must run is not known.`,
      );
    }
    const shown = o.words.map((w) => (/\s/.test(w) ? JSON.stringify(w) : w)).join(' ');
    const { programs, shell } = programsOf(o.words);
    if (programs.some(isToolchainProgram)) {
      throw new Refusal(
        `${o.where} runs \`${shown}\` in this image, so it needs the Go toolchain at run time (a test or development container); keep the golang image for it.`,
      );
    }
    if (shell) {
      shellReason ??= `${o.where} runs its command through ${shell}`;
      bash ||= shell === 'bash';
    }
    for (const program of programs) {
      if (SHELL_BUILTINS.has(program) || carried.has(basename(program))) continue;
      started.push({ program, where: o.where, byScript: false, override: shown });
    }
  }
  return { started, shellReason, bash };
}
