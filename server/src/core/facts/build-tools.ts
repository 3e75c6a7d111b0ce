/**
 * The build tools a RUN may run Go through (`make`, mage, task, just, `./build.sh`), and what
 * their descriptions in the build context show of it: for `make`, the recipes of the targets it
 * builds, following their prerequisites and the `$(MAKE) target` lines in them; for a script,
 * its text. The go commands found are parsed as a RUN's are (flags, packages), so the caching
 * rules can tell a download-only target or a vendored build from a compile.
 * Cached per model: each Makefile of the context is parsed once.
 */
import type { Instruction } from 'dockerfile-ast';
import {
  contextPathOf,
  runOf,
  type DockerfileModel,
  type RunInfo,
  type Stage,
} from '../model/model';
import { chainFact } from './stage-tree';
import { parseGoInvocation, type GoInvocation } from '../model/go-invocation';
import { expandRecipe, MAKE_UNKNOWN, parseMakefile, type Makefile } from '../model/makefile';
import { parseScript, programName, type SimpleCommand, type Word } from '../model/shell';
import { resolve } from '../text/posix-path';
import { keywordOf, mountOptionsOf } from '../model/instruction-view';
import { KeyedCache } from '../keyed-cache';
import { clonedForeignTree } from './foreign-trees';
import { gitCloneOf } from '../model/git-clone';

// Programs that build from a description the analysis does not read.
export const BUILD_TOOLS: ReadonlySet<string> = new Set([
  'make',
  'gmake',
  'mage',
  'task',
  'go-task',
  'just',
]);

/**
 * A program a command runs by its path in the image (`./bin/install-deps`, `scripts/gen`), not a
 * system one: it may be a script of the build context that runs go (toolGo reads it, and takes
 * it only with a shell's `#!` line).
 */
export function programByPath(command: SimpleCommand): string | undefined {
  const word = command.words[0];
  if (!word || word.dynamic || !word.text.includes('/') || word.text.endsWith('/'))
    return undefined;
  if (/^\/(?:usr\/|s?bin\/|lib|opt\/|etc\/|proc\/|dev\/)/.test(word.text)) return undefined;
  return word.text;
}

// A script's first line that runs it with a shell: `#!/bin/sh`, `#!/usr/bin/env bash`.
const SHELL_SHEBANG = /^#!\s*\/\S*?(?:\/env\s+(?:-\S+\s+)*)?(?:ba|da|a|z|k)?sh\b/;

/** The build tool a command runs (`make`, `./build.sh`, `bash scripts/build.sh`), if any. */
export function buildTool(command: SimpleCommand): string | undefined {
  const words = command.words;
  const name = programName(words[0]);
  if (name === undefined) return undefined;
  if (BUILD_TOOLS.has(name)) return name;
  if (name.endsWith('.sh') && words[0].text.includes('/')) return words[0].text;
  if ((name === 'sh' || name === 'bash') && words[1]?.text.endsWith('.sh')) {
    return `${name} ${words[1].text}`;
  }
  return undefined;
}

// The go subcommands that count as running Go: they load packages, download or build.
const GO_SUBCOMMANDS = new Set(['build', 'install', 'run', 'mod', 'test', 'generate']);

// A script or Makefile line that runs the go command (`go build`, `$(GO) install`, `xx-go build`),
// also where a variable the analysis cannot expand stands for the go command.
const RUNS_GO =
  /(?:^|[\s;&|(`"'])(?:go|xx-go|\$[({]?GO[A-Z_]*[)}]?)\s+(?:build|install|run|mod|test|generate)\b|\$[({]GO_?BUILD[)}]/m;

/** What a build tool's description shows it runs of Go. */
export interface ToolGo {
  /** The go commands it runs, parsed (flags, packages; the environment of their own line). */
  commands: GoInvocation[];
  /** The lines (recipe lines expanded) that run go, parsed or not. */
  lines: string[];
  /**
   * It may run more than the lines show: a nested build tool, a script or Makefile that cannot
   * be read, a program named by a variable the Makefile does not set, a target with no rule of
   * its own in a Makefile that includes others or has pattern rules.
   */
  unread: boolean;
  /**
   * Some go command runs as another user (`sudo -u dev go install`, `su dev -c '...'`,
   * `gosu`): its caches are under that user's home, and a cache mount (owned by root) would be
   * one it cannot write to.
   */
  asOtherUser: boolean;
}

/** A description that shows nothing run yet (`unread` when more may run than it shows). */
function noGo(unread: boolean): ToolGo {
  return { commands: [], lines: [], unread, asOtherUser: false };
}

// Programs that run a command as another user.
const USER_SWITCHERS = new Set(['sudo', 'su', 'runuser', 'gosu', 'su-exec', 'setpriv', 'chpst']);

/** Target visits and scripts read at most per description: beyond, the rest counts as unread. */
const MAX_TARGETS = 256;
const MAX_SCRIPTS = 16;

const makefiles = new KeyedCache<DockerfileModel, Map<string, Makefile>>();

/** The Makefile at a context path, parsed once per model. */
function makefileAt(model: DockerfileModel, contextPath: string, text: string): Makefile {
  let perModel = makefiles.get(model);
  if (!perModel) makefiles.set(model, (perModel = new Map()));
  let parsed = perModel.get(contextPath);
  if (!parsed) perModel.set(contextPath, (parsed = parseMakefile(text)));
  return parsed;
}

/** Where a file of the stage (relative to `cwd`) came from in the build context, when a COPY brought it. */
function locator(stage: Stage, cwd: string | undefined): (path: string) => string | undefined {
  return (path) => (cwd === undefined ? undefined : contextPathOf(stage, resolve(cwd, path)));
}

// make's options that take the next word as their value (or after `=` in the long form).
const MAKE_VALUE_OPTIONS = new Set([
  '-C',
  '-f',
  '-I',
  '-o',
  '-W',
  '--directory',
  '--file',
  '--makefile',
  '--include-dir',
  '--old-file',
  '--assume-old',
  '--what-if',
  '--new-file',
  '--assume-new',
]);

interface MakeLine {
  /** The goals named (none: the default goal). */
  goals: string[];
  /** `NAME=value` words, which override the Makefile's variables (null: not literal). */
  overrides: [string, string | null][];
  /** `-f file` / `-C dir` as given (the last of each). */
  file?: Word;
  directory?: Word;
}

/** The goals, variable overrides and file options of a make command; undefined when unknown. */
export function makeLine(words: readonly Word[]): MakeLine | undefined {
  const line: MakeLine = { goals: [], overrides: [] };
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    const text = word.text;
    if (MAKE_VALUE_OPTIONS.has(text)) {
      const value = words[++i];
      if (!value) return undefined;
      if (text === '-f' || text === '--file' || text === '--makefile') line.file = value;
      if (text === '-C' || text === '--directory') line.directory = value;
      continue;
    }
    if (text.startsWith('-')) {
      // `-j`/`-l` take an optional number; the rest of the options take nothing here.
      if ((text === '-j' || text === '-l') && /^\d+(\.\d+)?$/.test(words[i + 1]?.text ?? '')) i++;
      if (/^--(file|makefile|directory)=/.test(text)) return undefined;
      continue;
    }
    // `NAME=value`, `NAME:=value`, `NAME::=value`.
    const eq = text.indexOf('=');
    let name = eq > 0 ? text.slice(0, eq) : '';
    if (name.endsWith(':')) name = name.slice(0, name.endsWith('::') ? -2 : -1);
    if (/^[A-Za-z_.][A-Za-z0-9_.-]*$/.test(name)) {
      line.overrides.push([name, word.dynamic ? null : text.slice(eq + 1)]);
      continue;
    }
    if (word.dynamic || word.glob) return undefined;
    line.goals.push(text);
  }
  return line;
}

/**
 * Collects what a shell text runs of Go into `found`; `follow` looks at the commands that are
 * not go. A text that looks like it runs go without a go command read from it (`$GO build`)
 * counts as unread.
 */
function scanShell(text: string, found: ToolGo, follow?: (command: SimpleCommand) => void): void {
  let parsed = 0;
  for (const command of parseScript(text).commands) {
    const invocation = parseGoInvocation(command, new Map(), undefined);
    if (!invocation) {
      if (
        USER_SWITCHERS.has(programName(command.words[0]) ?? '') &&
        RUNS_GO.test(command.words.map((w) => w.text).join(' '))
      ) {
        found.asOtherUser = true;
      }
      follow?.(command);
    } else if (GO_SUBCOMMANDS.has(invocation.subcommand)) {
      found.commands.push(invocation);
      parsed++;
    }
  }
  const looksLikeGo = RUNS_GO.test(text);
  if (looksLikeGo && parsed === 0) found.unread = true;
  if (looksLikeGo || parsed > 0) found.lines.push(text);
}

/** What a script's text runs of Go (nested tools and scripts are not followed). */
function scriptGo(text: string): ToolGo {
  const found = noGo(false);
  scanShell(text, found);
  return found;
}

/** What the goals of a Makefile run of Go, following prerequisites and `$(MAKE) goal` lines. */
function makeGo(
  makefile: Makefile,
  line: MakeLine,
  read: (path: string) => string | undefined,
): ToolGo {
  const found = noGo(false);
  let variables = makefile.variables;
  if (line.overrides.length > 0) {
    const overridden = new Map(variables);
    for (const [name, value] of line.overrides) overridden.set(name, value ?? MAKE_UNKNOWN);
    variables = overridden;
  }
  const visited = new Set<string>();
  const queue: string[] = [];
  let scripts = 0;
  const enqueue = (goals: readonly string[]) => {
    if (goals.length === 0) {
      if (makefile.defaultGoal === undefined) found.unread = true;
      else queue.push(makefile.defaultGoal);
    } else queue.push(...goals);
  };
  const follow = (command: SimpleCommand) => {
    const program = command.words[0];
    if (!program) return;
    const name = programName(program);
    if (program.text.includes(MAKE_UNKNOWN)) {
      found.unread = true;
    } else if (name === 'make' || name === 'gmake') {
      const nested = makeLine(command.words);
      if (!nested || nested.file || nested.directory) found.unread = true;
      else enqueue(nested.goals);
    } else if (name !== undefined && BUILD_TOOLS.has(name)) {
      found.unread = true;
    } else if (buildTool(command) !== undefined) {
      const script = name === 'sh' || name === 'bash' ? command.words[1] : program;
      const text = script.dynamic || ++scripts > MAX_SCRIPTS ? undefined : read(script.text);
      if (text === undefined) {
        found.unread = true;
      } else {
        const inner = scriptGo(text);
        found.commands.push(...inner.commands);
        found.lines.push(...inner.lines);
      }
    }
  };
  enqueue(line.goals);
  while (queue.length > 0) {
    const goal = queue.shift()!;
    if (visited.has(goal)) continue;
    if (visited.size >= MAX_TARGETS || goal.includes(MAKE_UNKNOWN)) {
      found.unread = true;
      break;
    }
    visited.add(goal);
    const rule = makefile.rules.get(goal);
    if (!rule) {
      // A file, or a target a pattern rule or an included Makefile may build.
      if (makefile.open) found.unread = true;
      continue;
    }
    queue.push(...rule.prerequisites);
    for (const recipe of rule.recipe) {
      const expanded = expandRecipe(recipe.text, variables);
      scanShell(expanded, found, follow);
      // `$(GO) build` where GO is set outside the Makefile.
      if (RUNS_GO.test(recipe.text) && !RUNS_GO.test(expanded)) {
        found.lines.push(recipe.text);
        found.unread = true;
      }
    }
  }
  return found;
}

/**
 * What a build tool's description in the build context shows it runs of Go: the Makefile in the
 * directory make runs in (or given by `-f`) for the goals named, or the script; undefined when
 * there is none to read (no build context, not copied from it, mage, task or just).
 */
export function toolGo(
  model: DockerfileModel,
  stage: Stage,
  command: SimpleCommand,
  cwd: string | undefined,
): ToolGo | undefined {
  const context = model.context;
  if (!context?.read) return undefined;
  const locate = locator(stage, cwd);
  const read = (path: string) => {
    const contextPath = locate(path);
    return contextPath === undefined ? undefined : context.read!(contextPath);
  };
  const name = programName(command.words[0]);
  if (name === 'make' || name === 'gmake') {
    const line = makeLine(command.words);
    if (line?.file?.dynamic) return undefined;
    const names = line?.file ? [line.file.text] : ['GNUmakefile', 'makefile', 'Makefile'];
    for (const file of names) {
      const contextPath = locate(file);
      const text = contextPath === undefined ? undefined : context.read(contextPath);
      if (text === undefined) continue;
      if (!line) return noGo(true);
      return makeGo(makefileAt(model, contextPath!, text), line, read);
    }
    return undefined;
  }
  if (name !== undefined && BUILD_TOOLS.has(name)) return undefined;
  const shell = name === 'sh' || name === 'bash';
  const script = shell ? command.words[1] : command.words[0];
  if (!script || script.dynamic) return undefined;
  const text = read(script.text);
  if (text === undefined) return undefined;
  // A program run by its path without a `.sh` name is read only when it is a shell script.
  if (!shell && !script.text.endsWith('.sh') && !SHELL_SHEBANG.test(text)) return undefined;
  return scriptGo(text);
}

// The goals that remove what a build made, by the GNU Coding Standards' names (and two common
// others): a Makefile not read still compiles nothing for them.
const CLEAN_GOALS = new Set([
  'clean',
  'mostlyclean',
  'distclean',
  'maintainer-clean',
  'realclean',
  'clobber',
]);

/**
 * A `make` that names only clean goals (`make clean`): whatever its Makefile says, which may not
 * be readable (a cloned project's), it builds nothing.
 */
export function makesCleanOnly(command: SimpleCommand): boolean {
  const name = programName(command.words[0]);
  if (name !== 'make' && name !== 'gmake') return false;
  const line = makeLine(command.words);
  return line !== undefined && line.goals.length > 0 && line.goals.every((g) => CLEAN_GOALS.has(g));
}

/** Whether what a tool's description shows runs Go. */
export function runsGo(go: ToolGo): boolean {
  return go.unread || go.lines.length > 0 || go.commands.length > 0;
}

// Programs that configure a C or C++ tree for the `make` that follows them.
const CONFIGURE_PROGRAMS = new Set(['cmake', 'configure', 'autoreconf', 'autogen.sh', 'meson']);

/** A command that unpacks an archive (`tar -xz`, `tar xf`, `unzip`). */
function unpacks(command: SimpleCommand): boolean {
  const name = programName(command.words[0]);
  if (name === 'unzip' || name === 'bsdtar') return true;
  if (name !== 'tar') return false;
  return command.words.slice(1).some((w) => {
    // `-xzf`, `xzf`, `--extract`: the letters of the first options hold `x`.
    const letters = w.text.startsWith('-') ? w.text.slice(1) : w.text;
    return w.text === '--extract' || (/^[A-Za-z]+$/.test(letters) && letters.includes('x'));
  });
}

/**
 * Whether the build tool at `commandIndex` of the RUN builds a tree that is not the Go project:
 * earlier in the same RUN a configure step (`cmake ..`, `./configure`, `meson`) ran, a `cd` went
 * into a tree an archive was unpacked into (`wget … | tar -xz && cd libgit2-1.3.2`), with no
 * `cd` to an absolute (or unknown) directory since, or a `cd` went into the tree of another
 * project cloned with git (`git clone …/rocksdb.git /tmp/rocksdb && cd rocksdb`; not a clone of
 * the module go.mod names, `ownModule`, nor one into a GOPATH tree). A tool run with Go's own
 * settings (`CGO_ENABLED=0 make`, or `export GOARCH=…` before it in the RUN) builds Go wherever
 * it is.
 */
export function buildsForeignTree(run: RunInfo, commandIndex: number, ownModule?: string): boolean {
  // Go's own settings on the build tool's command (`CGO_ENABLED=0 make`) or exported before it
  // in the RUN (`export GOARCH=$TARGETARCH CGO_ENABLED=1 && make`): a Go build.
  const goSetting = (name: string) => /^(GO|CGO_)[A-Z0-9_]*$/.test(name);
  const commands = run.commands.slice(0, commandIndex + 1);
  if (
    commands.some(
      (c) =>
        c.assignments.some((a) => goSetting(a.name)) ||
        (programName(c.words[0]) === 'export' &&
          c.words.slice(1).some((w) => goSetting(w.text.split('=')[0]))),
    )
  ) {
    return false;
  }
  let foreign = false;
  let unpacked = false;
  const cloned = new Set<string>();
  for (const command of run.commands.slice(0, commandIndex)) {
    const name = programName(command.words[0]);
    if (name === 'cd') {
      const target = command.words[1];
      const relative =
        target !== undefined &&
        !target.dynamic &&
        !target.text.startsWith('/') &&
        !target.text.startsWith('~') &&
        target.text !== '-';
      const into = target?.text.split('/').filter((part) => part !== '') ?? [];
      if (target !== undefined && !target.dynamic && cloned.has(into[into.length - 1] ?? '')) {
        foreign = true;
      } else if (!relative) foreign = unpacked = false;
      else if (unpacked) foreign = true;
    } else if (name !== undefined && CONFIGURE_PROGRAMS.has(name)) {
      foreign = true;
    } else if (unpacks(command)) {
      unpacked = true;
    } else {
      const tree = clonedForeignTree(command, ownModule);
      if (tree !== undefined) cloned.add(tree);
    }
  }
  return foreign;
}

/** A RUN mount that may bring files in: a bind mount (the default type) of the context or a stage. */
function bindMounts(run: RunInfo): boolean {
  return mountOptionsOf(run.instruction).some((mount) => mount.type === 'bind');
}

/** A command that fetches a source tree or writes a go.mod (`git clone`, `go mod init`, `go get`). */
function fetchesSources(command: SimpleCommand): boolean {
  const name = programName(command.words[0]);
  const sub = command.words[1]?.text;
  if (name === 'git') {
    return gitCloneOf(command) !== undefined || command.words.some((w) => w.text === 'init');
  }
  if (name === 'go') return sub === 'get' || (sub === 'mod' && command.words[2]?.text === 'init');
  return false;
}

/** Whether an instruction may bring a go.mod or Go sources into the stage. */
function bringsSources(instruction: Instruction): boolean {
  const keyword = keywordOf(instruction);
  if (keyword === 'COPY' || keyword === 'ADD') return true;
  if (keyword !== 'RUN') return false;
  const run = runOf(instruction);
  return run !== undefined && (bindMounts(run) || run.commands.some(fetchesSources));
}

/** The stage (whole) or one it is built on brings sources in. */
const chainBringsSources = chainFact<boolean>(
  (stage, inherited) => inherited === true || stage.instructions.some(bringsSources),
);

/**
 * Whether no go.mod or Go source can be in the stage when the command at `commandIndex` of the
 * RUN runs: the stage is on a Go toolchain image (which holds no project), and nothing before it
 * (in the stage, in a stage it is built on, or earlier in the RUN) copied, mounted, cloned or
 * created one.
 */
export function noGoSourcesYet(stage: Stage, run: RunInfo, commandIndex: number): boolean {
  const family = stage.facts.family;
  if (family !== 'golang' && family !== 'chainguard-go') return false;
  if (stage.parent && chainBringsSources(stage.parent)) return false;
  for (const instruction of stage.instructions) {
    if (instruction === run.instruction) break;
    if (bringsSources(instruction)) return false;
  }
  if (bindMounts(run)) return false;
  return !run.commands.slice(0, commandIndex).some(fetchesSources);
}
