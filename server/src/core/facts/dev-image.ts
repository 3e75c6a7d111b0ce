/**
 * Development and test images: a final stage whose start command keeps the container idle for
 * tools to be run in (`tail -f /dev/null`), or runs the Go toolchain, a build tool, a test runner,
 * a debugger or a live-reload tool (air, reflex, CompileDaemon, …) that rebuilds the sources on
 * every change. Such an image needs the toolchain at run time: go-toolchain-in-final-stage does
 * not report it, and the conversion refuses it, from the same decision.
 * Computed on each call from the stage's start command.
 */
import { buildsRemotePackage } from '../model/go-invocation';
import type { CopySource, DockerfileModel, Stage } from '../model/model';
import { parseScript, programName } from '../model/shell';
import { BUILD_TOOLS } from './build-tools';
import { LIVE_RELOAD_TOOLS } from '../data/live-reload-tools';
import {
  programWords,
  runTarget,
  shellCWords,
  stageChain,
  startProgram,
  type StartProgram,
} from './start';
import { hasGlob } from '../text/glob';
import { basename, contextRelative } from '../text/posix-path';

// Start programs that need the toolchain and the sources at run time: test runners, debuggers
// and the live-reload tools of development images (they rebuild the program on every change).
const TOOLCHAIN_PROGRAMS: ReadonlySet<string> = new Set([
  ...BUILD_TOOLS,
  ...LIVE_RELOAD_TOOLS,
  'go',
  'go-wrapper',
  'gotestsum',
  'ginkgo',
  'dlv',
]);

/** Whether a program (a word or its basename) needs the toolchain at run time (facts above). */
export function isToolchainProgram(program: string): boolean {
  return TOOLCHAIN_PROGRAMS.has(basename(program));
}

/**
 * The start command, when a program it runs (directly, through `sh -c`, an init wrapper or in a
 * shell-form script) needs the Go toolchain, a build tool or a live-reload tool.
 */
export function toolchainStart(stage: Stage, start: StartProgram): string | undefined {
  const words = start.argv.map((a) => a.text);
  if (words.length === 0) return undefined;
  const programs = [words[0], programWords(stage, start)[0] ?? ''].map((w) => basename(w));
  const scripts: string[] = [];
  if (!start.exec && start.command.shell) scripts.push(start.command.shell);
  if (start.exec && shellCWords(start)) scripts.push(words[2] ?? '');
  for (const script of scripts) {
    for (const command of parseScript(script).commands) {
      const name = programName(command.words[0]);
      if (name !== undefined) programs.push(name);
    }
  }
  return programs.some((p) => TOOLCHAIN_PROGRAMS.has(p)) ? words.join(' ') : undefined;
}

/** `tail -f /dev/null`, `sleep infinity`: a start command that only keeps the container alive. */
export function idleStart(start: StartProgram): string | undefined {
  const words = start.argv.map((a) => a.text);
  const name = basename(words[0] ?? '');
  const idle =
    (name === 'tail' && words.includes('-f') && words[words.length - 1] === '/dev/null') ||
    (name === 'sleep' && words.length === 2 && /^(infinity|\d{4,})$/.test(words[1]));
  return idle ? words.join(' ') : undefined;
}

/** Why a stage is a development or test image, with its start command as written. */
export type DevelopmentImage =
  { kind: 'idle'; start: string } | { kind: 'toolchain'; start: string };

/**
 * Whether the stage is a development or test image: its start command keeps it idle, or runs a
 * tool that needs the toolchain at run time. A binary the stage builds from its own sources is
 * the program, whatever its name; one it installs from a remote package (`go install
 * github.com/air-verse/air@latest`) and starts is such a tool when its name says so. `go run` is
 * the program run from its sources: not a development image by itself.
 */
export function developmentImage(stage: Stage): DevelopmentImage | undefined {
  const start = startProgram(stage);
  if (!start) return undefined;
  const target = runTarget(stage);
  if (target?.kind === 'go-run') return undefined;
  if (target?.kind === 'binary' && !buildsRemotePackage(target.call.invocation)) return undefined;
  if (!target) {
    const idle = idleStart(start);
    if (idle) return { kind: 'idle', start: idle };
  }
  const toolchain = toolchainStart(stage, start);
  return toolchain ? { kind: 'toolchain', start: toolchain } : undefined;
}

// Files of a Go project that are not its sources.
const NOT_SOURCES =
  /^(go\.(mod|sum|work|work\.sum)|Makefile|GNUmakefile|Dockerfile|LICEN[CS]E|README|VERSION|NOTICE|AUTHORS|CODEOWNERS|Procfile)$/i;

function isGoFile(path: string): boolean {
  return path.endsWith('.go');
}

/** Whether one COPY/ADD source from the build context brings Go sources. */
function bringsSources(model: DockerfileModel, source: CopySource): boolean {
  // ADD of a repository brings its sources; of an archive or a file, not as far as is known.
  if (source.remote) return source.remote === 'git';
  const text = source.text;
  if (text.includes('$')) return true;
  const relative = contextRelative(text);
  if (relative === '') return true;
  const context = model.context;
  if (context) {
    if (hasGlob(relative)) {
      const matched = context.matchGlob(relative);
      return (
        matched.files.some(isGoFile) ||
        matched.dirs.some((dir) => [...context.filesBelow(dir)].some(isGoFile))
      );
    }
    if (context.isDirectory(relative)) return [...context.filesBelow(relative)].some(isGoFile);
    return isGoFile(relative);
  }
  const name = basename(relative);
  if (isGoFile(name) || text.endsWith('/')) return true;
  if (hasGlob(name)) return name === '*' || name.endsWith('.go') || !name.includes('.');
  if (NOT_SOURCES.test(name)) return false;
  // A name with an extension is a file (config.yaml, .env, .air.toml); without one, most likely
  // a directory of the sources (cmd, internal, src).
  return !/.\.[A-Za-z0-9]+$/.test(name) && !name.startsWith('.');
}

/**
 * Whether the stage's image holds Go sources: copied from the build context (not only go.mod,
 * go.sum or named files that are not Go, such as a config or an `.env`), or written by
 * `git clone`. A development image that copies none has its sources mounted at run time.
 */
export function sourcesInImage(model: DockerfileModel, stage: Stage): boolean {
  for (const s of stageChain(stage)) {
    for (const copy of s.copies) {
      if (copy.from || copy.heredoc) continue;
      if (copy.sources.some((source) => bringsSources(model, source))) return true;
    }
  }
  return stage.fs.entries.some((entry) => entry.cloned);
}
