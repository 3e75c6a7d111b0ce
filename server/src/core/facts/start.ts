/**
 * What a stage runs when the container starts, and whether that is a Go program the Dockerfile
 * built: the questions behind the toolchain, entrypoint and conversion logic.
 * Computed on each call.
 */
import { buildTool } from './build-tools';
import { DEFAULT_PATH } from '../model/images';
import type { GoCall, Located, RunInfo, Stage, StartCommand } from '../model/model';
import { SHELLS, parseScript, programName, type SimpleCommand } from '../model/shell';
import { perKey } from './memo';
import { hasGoToolchain } from './go-toolchain';
import { goCallLinks, rootStage, runLinks } from './stage-tree';
import { basename, dirname, isAbsolute, isWithin, join, resolve } from '../text/posix-path';

export interface StartProgram {
  /** The instruction that names the program (ENTRYPOINT, or CMD when there is none). */
  command: StartCommand;
  /** The program's words: exec-form strings, or shell-form words (ranges only for exec form). */
  argv: { text: string; range?: Located['range'] }[];
  exec: boolean;
  /**
   * The directory the program starts in when a shell-form command changes to it first (`cd
   * server && ./main`); null when a `cd` goes somewhere unknown; undefined: the WORKDIR.
   */
  cwd?: string | null;
}

/**
 * The program the stage starts: ENTRYPOINT's first word, or CMD's when there is no ENTRYPOINT
 * (or `ENTRYPOINT []`, which clears it: CMD is then the whole command).
 */
export function startProgram(stage: Stage): StartProgram | undefined {
  // Most stages start nothing: answered without the cache.
  return stage.entrypoint || stage.cmd ? startProgramOf(stage) : undefined;
}

const startProgramOf = perKey((stage: Stage): StartProgram | undefined => {
  const cleared = stage.entrypoint?.exec?.length === 0;
  const command = cleared ? stage.cmd : (stage.entrypoint ?? stage.cmd);
  if (!command) return undefined;
  if (command.exec) {
    if (command.exec.length === 0) return undefined;
    return { command, argv: command.exec, exec: true };
  }
  const parsed = parseScript(command.shell ?? '');
  const main = mainCommand(parsed.commands);
  if (!main || main.words.length === 0) return undefined;
  const cwd = startDirectory(stage, parsed.commands.slice(0, parsed.commands.indexOf(main)));
  return {
    command,
    argv: main.words.map((w) => ({ text: w.text })),
    exec: false,
    ...(cwd !== undefined ? { cwd } : {}),
  };
});

/** Where the `cd`s before the program leave a shell-form start command (see StartProgram.cwd). */
function startDirectory(stage: Stage, prelude: SimpleCommand[]): string | null | undefined {
  let cwd: string | null | undefined;
  for (const command of prelude) {
    if (programName(command.words[0]) !== 'cd') continue;
    const to = command.words[1];
    const from = cwd ?? stage.workdirAtEnd;
    cwd =
      to && !to.dynamic && !to.glob && from !== undefined && from !== null
        ? resolve(from, to.text)
        : null;
  }
  return cwd;
}

// Commands a shell-form start command runs before the program (`sleep 10 && /app/app`).
const PRELUDE = new Set([
  'sleep',
  'echo',
  'printf',
  'cd',
  'export',
  'set',
  'true',
  'test',
  '[',
  'mkdir',
  'chmod',
  'ulimit',
  'umask',
]);

/**
 * The command of a shell-form start command that runs the program: the first one that is not a
 * prelude (a pause, a message, a directory change); the first one when all are.
 */
function mainCommand(commands: SimpleCommand[]): SimpleCommand | undefined {
  return (
    commands.find((c) => {
      const name = programName(c.words[0]);
      return name !== undefined && !PRELUDE.has(name);
    }) ?? commands[0]
  );
}

/** The directories of the stage's PATH. */
export function pathDirectories(stage: Stage): string[] {
  const path = stage.envAtEnd.get('PATH');
  return (typeof path === 'string' ? path : DEFAULT_PATH).split(':').filter((d) => isAbsolute(d));
}

/**
 * Absolute paths a program word may refer to: itself, or each PATH entry for a bare name; a
 * relative path from `cwd` (the WORKDIR unless the start command changes directory first).
 */
export function programCandidates(
  stage: Stage,
  program: string,
  cwd: string | null | undefined = stage.workdirAtEnd,
): string[] {
  if (isAbsolute(program)) return [resolve('/', program)];
  if (program.includes('/')) {
    return cwd === undefined || cwd === null ? [] : [resolve(cwd, program)];
  }
  return pathDirectories(stage).map((dir) => resolve(dir, program));
}

/**
 * The external image at the root of a stage's parent chain: as written, or with the ARG defaults
 * it reads filled in (`$BASE_IMAGE` → `gcr.io/distroless/static-debian12`) when they give it.
 */
export function baseImageText(stage: Stage): string {
  const root = rootStage(stage);
  if (root.baseText?.includes('$') && root.base) return root.base.text;
  return root.baseText ?? 'the base image';
}

/**
 * The stage and the stages it is built on, nearest first. A walk of the whole chain: what is asked
 * of every stage goes through the facts of stage-tree.ts instead.
 */
export function stageChain(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage; s; s = s.parent) chain.push(s);
  return chain;
}

/**
 * For an exec-form `["sh", "-c", "script"]`, the words of the script's first command (after an
 * `exec`): the program the shell starts. Undefined for any other start command.
 */
export function shellCWords(start: StartProgram): string[] | undefined {
  const [shell, flag, script] = start.argv;
  if (!start.exec || !shell || flag?.text !== '-c' || script === undefined) return undefined;
  if (!SHELLS.has(basename(shell.text))) return undefined;
  const words = parseScript(script.text).commands[0]?.words.map((w) => w.text) ?? [];
  const program = words[0] === 'exec' ? words.slice(1) : words;
  return program.length > 0 ? program : undefined;
}

// Init processes that start the command after their own options (`tini -- app`).
const INIT_WRAPPERS = new Set(['tini', 'tini-static', 'dumb-init', 'catatonit']);

/** The words after an init wrapper and its options, or undefined when `words` runs none. */
export function afterInitWrapper(words: string[]): string[] | undefined {
  if (words[0] === undefined || !INIT_WRAPPERS.has(basename(words[0]))) return undefined;
  let i = 1;
  while (i < words.length && words[i].startsWith('-') && words[i] !== '--') i++;
  if (words[i] === '--') i++;
  return words.slice(i);
}

/**
 * The words of the program the container runs: through `sh -c` to the script's program, and
 * through an init wrapper (`ENTRYPOINT ["tini", "--"]`) to the command it starts, which is
 * CMD's when the ENTRYPOINT names none.
 */
export function programWords(stage: Stage, start: StartProgram): string[] {
  const words = shellCWords(start) ?? start.argv.map((a) => a.text);
  const wrapped = afterInitWrapper(words);
  if (wrapped === undefined) return words;
  if (wrapped.length > 0) return wrapped;
  const cmd = start.command.keyword === 'ENTRYPOINT' ? stage.cmd : undefined;
  return cmd?.exec ? cmd.exec.map((w) => w.text) : words;
}

export type RunTarget =
  { kind: 'binary'; call: GoCall; path: string } | { kind: 'go-run'; call?: GoCall };

/**
 * Whether the stage starts a Go program it built itself (`go build`/`go install` in the stage or
 * its parents, then ENTRYPOINT/CMD running the output), or runs `go run`.
 */
export const runTarget: (stage: Stage) => RunTarget | undefined = perKey((stage) => {
  const start = startProgram(stage);
  if (!start) return undefined;
  const [program, sub] = programWords(stage, start);
  if (program && (program === 'go' || program.endsWith('/go')) && sub === 'run') {
    let call: GoCall | undefined;
    for (let link = goCallLinks(stage); link && !call; link = link.next) {
      call = link.items.find((c) => c.invocation.subcommand === 'run');
    }
    return { kind: 'go-run', call };
  }
  if (program && basename(program) === 'go-wrapper' && sub === 'run') {
    // The old golang images' `go-wrapper run` executes the binary `go-wrapper install` put on
    // the PATH, named after the working directory.
    const cwd = stage.workdirAtEnd;
    if (cwd === undefined || cwd === '/') return undefined;
    const written = callWriting(stage, programCandidates(stage, basename(cwd)));
    return written ? { kind: 'binary', ...written } : undefined;
  }
  if (!program || program.includes('${')) return undefined;
  return builtBinary(stage, program, start.cwd);
});

/**
 * The Go binary a program word of the stage (`./server`, `/app/api`, `api` on the PATH) runs,
 * when a go command of the stage or its parents built it (maybe copied or moved since).
 */
export function builtBinary(
  stage: Stage,
  program: string,
  cwd?: string | null,
): { kind: 'binary'; call: GoCall; path: string } | undefined {
  if (program.includes('$')) return undefined;
  const candidates = programCandidates(
    stage,
    program,
    cwd === undefined ? stage.workdirAtEnd : cwd,
  );
  const written = callWriting(stage, candidates);
  if (written) return { kind: 'binary', ...written };
  const found = copiedBuild(stage, candidates) ?? patternInstall(stage, candidates);
  return found?.kind === 'binary' ? found : undefined;
}

/** The paths of the binaries a go command writes, where they are known. */
function outputPaths(call: GoCall): string[] {
  const output = call.output;
  if (output.kind === 'file') return [output.path];
  if (output.kind === 'dir' && output.names) return output.names.map((n) => join(output.path, n));
  return [];
}

/** The last go build or install (in the stage or its parents) that writes one of `paths`. */
function callWriting(stage: Stage, paths: string[]): { call: GoCall; path: string } | undefined {
  for (let link = goCallLinks(stage); link; link = link.next) {
    for (let i = link.items.length - 1; i >= 0; i--) {
      const call = link.items[i];
      const path = outputPaths(call).find((p) => paths.includes(p));
      if (path !== undefined) return { call, path };
    }
  }
  return undefined;
}

/**
 * A built binary that `cp`, `mv` or `install` put where the start command runs it
 * (`RUN cp /build/main /dist/` then `CMD ["/dist/main"]`): the build that wrote it.
 */
function copiedBuild(stage: Stage, candidates: string[]): RunTarget | undefined {
  for (let link = runLinks(stage); link; link = link.next) {
    for (const run of link.items) {
      for (const [i, command] of run.commands.entries()) {
        const name = programName(command.words[0]);
        if (name !== 'cp' && name !== 'mv' && name !== 'install') continue;
        const operands = command.words.slice(1).filter((w) => !w.text.startsWith('-'));
        if (operands.length !== 2 || operands.some((w) => w.dynamic || w.glob)) continue;
        const cwd = run.commandCwds[i];
        const at = (text: string) =>
          isAbsolute(text)
            ? resolve('/', text)
            : cwd === undefined
              ? undefined
              : resolve(cwd, text);
        const source = at(operands[0].text);
        const destination = at(operands[1].text);
        if (source === undefined || destination === undefined) continue;
        const path = candidates.find(
          (c) => c === destination || c === join(destination, basename(source)),
        );
        const written = path === undefined ? undefined : callWriting(stage, [source]);
        if (written && path !== undefined) return { kind: 'binary', call: written.call, path };
      }
    }
  }
  return undefined;
}

/**
 * `go install ./...` (to GOBIN) and `go build -o dir/ ./...` write every main package of the tree
 * under names the analysis cannot list: a program started from that directory is taken to be
 * one of them.
 */
function patternInstall(stage: Stage, candidates: string[]): RunTarget | undefined {
  for (let link = goCallLinks(stage); link; link = link.next) {
    for (const call of link.items) {
      const { output, invocation } = call;
      if (output.kind !== 'dir' || output.names) continue;
      if (invocation.subcommand !== 'install' && invocation.subcommand !== 'build') continue;
      // Cross-compiled installs go to a subdirectory of GOBIN instead.
      const cross = invocation.env.has('GOOS') || invocation.env.has('GOARCH') || invocation.viaXx;
      if (invocation.subcommand === 'install' && cross) continue;
      if (!invocation.packages.some((p) => p.text.endsWith('/...'))) continue;
      const path = candidates.find((c) => dirname(c) === output.path);
      if (path !== undefined) return { kind: 'binary', call, path };
    }
  }
  return undefined;
}

const SCRIPT_EXTENSIONS = /\.(sh|bash|py|rb|pl|js|ts|php)$/;

/**
 * A start program written by `make` or a build script: an absolute path (or one relative to the
 * WORKDIR) below the directory where the tool ran, that is not a copied file or a script.
 */
export function toolBuiltStart(
  stage: Stage,
  start: StartProgram,
): { path: string; tool: string; run: RunInfo; commandIndex: number } | undefined {
  const program = start.argv[0]?.text;
  if (!program || program.includes('$') || !program.includes('/')) return undefined;
  if (SCRIPT_EXTENSIONS.test(program)) return undefined;
  const [path] = programCandidates(stage, program);
  if (path === undefined) return undefined;
  // A file copied in as it is was not built here.
  const found = stage.fs.lookup(path);
  if (found.presence === 'yes' && found.entry?.origin === 'copy') return undefined;
  for (let link = runLinks(stage); link; link = link.next) {
    for (let r = link.items.length - 1; r >= 0; r--) {
      const run = link.items[r];
      for (const [i, command] of run.commands.entries()) {
        const tool = buildTool(command);
        const cwd = run.commandCwds[i];
        if (tool && cwd !== undefined && isWithin(path, cwd) && path !== cwd) {
          return { path, tool, run, commandIndex: i };
        }
      }
    }
  }
  return undefined;
}

/**
 * A stage that builds Go: based on a Go toolchain image, given the golang image's toolchain by
 * COPY (itself or a parent), or running `go build`/`go install`.
 */
export function isGoBuildStage(stage: Stage): boolean {
  return (
    hasGoToolchain(stage) ||
    stage.goCalls.some(
      (c) => c.invocation.subcommand === 'build' || c.invocation.subcommand === 'install',
    )
  );
}

/** The stage holds a Go binary built in the Dockerfile (built there or copied in). */
export function shipsGoBinary(stage: Stage): boolean {
  return stage.fs.goBinaries().length > 0;
}
