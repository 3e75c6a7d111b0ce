/**
 * The stage model: built once per document version from dockerfile-ast, read by every rule.
 * Stages with their resolved bases, WORKDIR and environment as they evolve, the go commands in
 * RUN instructions and the files they write, COPY edges, and the start command.
 */
import {
  DockerfileParser,
  type Dockerfile,
  type Flag,
  type From,
  type Healthcheck,
  type Instruction,
  type Property,
} from 'dockerfile-ast';
import {
  classifyImage,
  DEFAULT_PATH,
  GOLANG_IMAGE_ENV,
  parseImageReference,
  type ImageFacts,
  type ImageReference,
} from './images';
import { expand, type Scope } from './variables';
import { overlay, withValue } from './env';
import { buildArgValue } from './build-args';
import {
  commandFromArgv,
  parseScript,
  programName,
  shellCommandScript,
  SHELLS,
  type SimpleCommand,
} from './shell';
import {
  goOutputs,
  parseGoInvocation,
  type CgoState,
  type Env,
  type EnvValue,
  type GoInvocation,
  type GoOutput,
  type ModuleInfo,
} from './go-invocation';
import { packageCommand, packageName } from './package-commands';
import { jsonStrings } from './command-words';
import { parseGoMod, type GoMod } from './gomod';
import {
  commandEffect,
  StageFs,
  SYSTEM_WRITE_PREFIXES,
  type GoBinary,
  type GoCallRef,
} from './filesystem';
import {
  execForm,
  heredocCommandLine,
  heredocsOf,
  instructionArguments,
  joinContinuations,
  logicalArguments,
} from './instruction-text';
import { LineIndex } from '../text/line-index';
import { hasGlob, matchSegment } from '../text/glob';
import {
  basename,
  dirname,
  isAbsolute,
  isWithin,
  join,
  resolve,
  trimTrailingSlashes,
} from '../text/posix-path';
import type { AnalyzeOptions, Position, Range } from '../types';

/**
 * The automatic platform ARGs that BuildKit fills in (when declared without a default), in the
 * order inserted `ARG` lines list them.
 */
export const PLATFORM_ARGS = new Set([
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
]);

/** A word of an instruction with its place in the document. */
export interface Located {
  text: string;
  range: Range;
}

export interface ArgDeclaration {
  name: string;
  /** The default as written (quotes removed), or undefined when there is none. */
  defaultValue?: string;
  instruction: Instruction;
  nameRange: Range;
  /** Range of `NAME=default` (or `NAME`) in the document. */
  range: Range;
}

/** A go command of a RUN with the environment and directory it runs in. */
export interface GoCommandRef {
  run: RunInfo;
  /** Position of the command among the RUN's simple commands. */
  commandIndex: number;
  invocation: GoInvocation;
  /** For build, install and run: what it writes. */
  call?: GoCall;
}

/** A go command found in a RUN, with what it writes and the state it runs in. */
export interface GoCall extends GoCallRef {
  run: RunInfo;
  /** Position of the command among the RUN's simple commands. */
  commandIndex: number;
}

export interface RunInfo {
  instruction: Instruction;
  /** Exec form (`RUN ["go", "build"]`). */
  exec: boolean;
  /** The script the shell runs (for shell form and shell heredocs). */
  script?: string;
  heredoc: boolean;
  /**
   * Every simple command the RUN executes, in the order they appear in its text (commands inside
   * `sh -c '...'` follow the `sh` command itself).
   */
  commands: SimpleCommand[];
  /** The directory each of `commands` runs in (after the `cd`s before it), when known. */
  commandCwds: (string | undefined)[];
  mounts: Flag[];
  /** Environment at the start of the RUN (ENV, ARG). */
  env: ReadonlyMap<string, EnvValue>;
  cwd: string | undefined;
}

export type CopySource = {
  /** The path as written (variables expanded where possible). */
  text: string;
  /** The argument as written. */
  raw: string;
  range: Range;
  /** Written as a JSON string (its range includes the quotes). */
  json: boolean;
};

export type CopyFrom =
  | { kind: 'stage'; stage: Stage }
  | { kind: 'later-stage'; stage: Stage }
  | { kind: 'index-out-of-range'; index: number }
  | { kind: 'image'; reference: string }
  | { kind: 'unknown'; name: string }
  | { kind: 'dynamic' };

export interface CopyInfo {
  instruction: Instruction;
  keyword: 'COPY' | 'ADD';
  from?: { raw: string; value: string; range: Range; target: CopyFrom };
  sources: CopySource[];
  destination?: { raw: string; path?: string; range: Range; directory: boolean };
  heredoc: boolean;
  /** The `--exclude` patterns (Dockerfile syntax 1.19+): what the copy leaves out. */
  excludes: string[];
}

/** A CMD, ENTRYPOINT or HEALTHCHECK CMD command. */
export interface StartCommand {
  instruction: Instruction;
  keyword: 'CMD' | 'ENTRYPOINT' | 'HEALTHCHECK';
  /** The argument vector in exec form, with each string's range. */
  exec?: Located[];
  /** The command text in shell form. */
  shell?: string;
  /** Range of the command (after HEALTHCHECK's options and `CMD`). */
  range: Range;
}

export interface Stage {
  index: number;
  /** The `AS` name as written. */
  name?: string;
  nameRange?: Range;
  from: From;
  instructions: Instruction[];
  /** The base as written (`golang:${GO_VERSION}-alpine`). */
  baseText?: string;
  baseRange?: Range;
  /** The base after ARG substitution, when that is complete. */
  base?: ImageReference;
  /** The earlier stage this one is built on (`FROM build AS test`). */
  parent?: Stage;
  /** Facts of the external image at the root of the parent chain. */
  facts: ImageFacts;
  platform?: Located;
  hasShell: boolean | undefined;
  /** A SHELL instruction in this stage or its parents. */
  shellInstruction?: Instruction;
  args: ArgDeclaration[];
  /** ENV and ARG values in force at the end of the stage. */
  scopeAtEnd: Map<string, EnvValue>;
  /** ENV only (what a child stage inherits). */
  envAtEnd: Map<string, EnvValue>;
  workdirAtEnd: string | undefined;
  runs: RunInfo[];
  goCalls: GoCall[];
  /**
   * Every go command the stage's RUNs execute, whatever the subcommand (`go mod download`,
   * `go get`, `go env -w`, ...), in order; build, install and run ones carry their GoCall.
   */
  goCommands: GoCommandRef[];
  copies: CopyInfo[];
  fs: StageFs;
  /** Packages installed with apk/apt in this stage or its parents. */
  packages: Set<string>;
  /** `go env -w` settings in force at the end of the stage. */
  goEnv: Map<string, string>;
  module: ModuleInfo;
  cmd?: StartCommand;
  entrypoint?: StartCommand;
  healthcheck?: StartCommand;
  /** The last USER, in this stage or inherited. */
  user?: { value: string; instruction: Instruction };
  /** Stages that use this one (`FROM`, `COPY --from`, `RUN --mount=from=`). */
  usedBy: Set<number>;
}

/** Files of the build context, for lookups (and their text, when the caller can read it). */
export class ContextIndex {
  readonly files: ReadonlySet<string>;
  private readonly dirs = new Set<string>(['']);

  constructor(
    files: readonly string[],
    /** Reads a context file's text (bounded by the caller); undefined when it cannot. */
    readonly read?: (path: string) => string | undefined,
    /** Whether `.dockerignore` keeps a context path out of the build. */
    readonly ignored?: (path: string) => boolean,
  ) {
    this.files = new Set(files.map((f) => f.replace(/^\.\//, '')));
    for (const file of this.files) {
      let slash = file.lastIndexOf('/');
      while (slash > 0) {
        this.dirs.add(file.slice(0, slash));
        slash = file.lastIndexOf('/', slash - 1);
      }
    }
  }

  isDirectory(path: string): boolean {
    return this.dirs.has(path);
  }

  /**
   * The files and directories a COPY glob (`src/*`, `*.yaml`) matches, as Docker matches it:
   * segment by segment, `*` never crossing a `/`.
   */
  matchGlob(pattern: string): { files: string[]; dirs: string[] } {
    const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
    const matches = (path: string) => {
      const parts = path.split('/');
      return (
        parts.length === segments.length && parts.every((p, i) => matchSegment(segments[i], p))
      );
    };
    return {
      files: [...this.files].filter(matches),
      dirs: [...this.dirs].filter((d) => d !== '' && matches(d)),
    };
  }

  /** Files below a directory of the context, relative to it. */
  filesBelow(dir: string): Set<string> {
    const prefix = dir === '' ? '' : dir + '/';
    const result = new Set<string>();
    for (const file of this.files)
      if (file.startsWith(prefix)) result.add(file.slice(prefix.length));
    return result;
  }
}

export interface DockerfileModel {
  text: string;
  index: LineIndex;
  dockerfile: Dockerfile;
  escapeChar: string;
  /** Top-level instructions in order. */
  instructions: Instruction[];
  globalArgs: ArgDeclaration[];
  globalScope: Map<string, string | null>;
  stages: Stage[];
  finalStage?: Stage;
  goMod?: GoMod;
  context?: ContextIndex;
  options: AnalyzeOptions;
}

function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.endsWith(text[0])) {
    return text.slice(1, -1);
  }
  return text;
}

/**
 * Parses the `NAME[=default]` declarations of an ARG instruction. dockerfile-ast splits the
 * arguments at every blank, so arguments are joined again while a quote or an escaped blank is
 * open (`ARG LDFLAGS="-s -w"` is one declaration); the default loses its quotes and escapes.
 */
function argDeclarations(model: DockerfileModel, instruction: Instruction): ArgDeclaration[] {
  const { index, escapeChar } = model;
  const declarations: ArgDeclaration[] = [];
  const declare = (start: Position, end: Position) => {
    const raw = index.textOf({ start, end });
    const eq = raw.indexOf('=');
    const name = eq < 0 ? raw : raw.slice(0, eq);
    declarations.push({
      name,
      defaultValue: eq < 0 ? undefined : unquoteWord(raw.slice(eq + 1), escapeChar),
      instruction,
      range: { start, end },
      nameRange: { start, end: { line: start.line, character: start.character + name.length } },
    });
  };
  let start: Position | undefined;
  let end: Position | undefined;
  for (const arg of instructionArguments(instruction)) {
    const range = arg.getRange();
    start ??= range.start;
    end = range.end;
    // dockerfile-ast ends an argument before an escaped blank (`my\ app`).
    const after = index.offsetAt(range.end);
    const escapedBlank =
      model.text[after] === escapeChar &&
      (model.text[after + 1] === ' ' || model.text[after + 1] === '\t');
    if (escapedBlank || openAtEnd(index.textOf({ start, end }), escapeChar)) continue;
    declare(start, end);
    start = undefined;
  }
  // A quote never closed runs to the end of the instruction.
  if (start && end) declare(start, end);
  return declarations;
}

/** Whether a quote or an escape is still open at the end of `raw`. */
function openAtEnd(raw: string, escapeChar: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === escapeChar && quote !== "'") {
      if (i + 1 >= raw.length) return true;
      i++;
    } else if (quote === undefined && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = undefined;
  }
  return quote !== undefined;
}

/** A word without its quotes and escapes (`"-s -w"` → `-s -w`, `a\ b` → `a b`). */
function unquoteWord(raw: string, escapeChar: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === escapeChar && quote !== "'" && i + 1 < raw.length) {
      out += raw[++i];
    } else if (quote === undefined && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = undefined;
    else out += c;
  }
  return out;
}

function keywordOf(instruction: Instruction): string {
  return instruction.getKeyword().toUpperCase();
}

/** Builds the model of a Dockerfile. Never throws on malformed input. */
export function buildModel(text: string, options: AnalyzeOptions = {}): DockerfileModel {
  const dockerfile = DockerfileParser.parse(text);
  const index = new LineIndex(text);
  const escapeChar = dockerfile.getEscapeCharacter();
  const instructions = dockerfile.getInstructions();
  const goMod = options.goMod !== undefined ? parseGoMod(options.goMod) : undefined;
  const model: DockerfileModel = {
    text,
    index,
    dockerfile,
    escapeChar,
    instructions,
    globalArgs: [],
    globalScope: new Map(),
    stages: [],
    goMod,
    context: options.context
      ? new ContextIndex(options.context.files, options.context.readFile, options.context.ignored)
      : undefined,
    options,
  };
  const groups: { from: From; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    const keyword = keywordOf(instruction);
    if (keyword === 'FROM') {
      groups.push({ from: instruction as From, instructions: [] });
    } else if (groups.length === 0) {
      if (keyword === 'ARG') {
        for (const declaration of argDeclarations(model, instruction)) {
          model.globalArgs.push(declaration);
          const value =
            declaration.defaultValue === undefined
              ? null
              : expand(declaration.defaultValue, model.globalScope).value;
          model.globalScope.set(declaration.name, buildArgValue(options, declaration.name, value));
        }
      }
    } else {
      groups[groups.length - 1].instructions.push(instruction);
    }
  }
  for (const group of groups) {
    model.stages.push(buildStage(model, model.stages.length, group.from, group.instructions));
  }
  resolveLaterStageReferences(model);
  model.finalStage = model.stages[model.stages.length - 1];
  return model;
}

/** Finds an earlier stage by name (case-insensitively) or by index. */
export function findStage(stages: readonly Stage[], reference: string): Stage | undefined {
  const key = reference.toLowerCase();
  if (/^\d+$/.test(key)) return stages[Number(key)];
  return findStageByName(stages, key);
}

const OFFICIAL_IMAGES = new Set([
  'alpine',
  'busybox',
  'debian',
  'ubuntu',
  'golang',
  'node',
  'python',
  'nginx',
  'scratch',
  'docker',
  'registry',
  'postgres',
  'redis',
  'tonistiigi',
]);

function partialFacts(text: string): { reference?: ImageReference; facts: ImageFacts } {
  // Classify what can be known when only the tag is unresolved (`golang:${GO_VERSION}-alpine`).
  const reference = parseImageReference(text);
  if (reference.repository.includes('${') || reference.repository.includes('$')) {
    return { facts: classifyImage({ text: '', repository: '' }) };
  }
  // An unclosed `${` runs to the end of the tag: matching it so keeps the regex linear (requiring
  // the `}` rescanned the rest of the tag from every `${`).
  const tag = reference.tag?.includes('$')
    ? reference.tag.replace(/\$\{[^}]*(?:\}|$)|\$[A-Za-z_][A-Za-z0-9_]*/g, '').replace(/^[-.]+/, '')
    : reference.tag;
  const facts = classifyImage({ ...reference, tag: tag === '' ? undefined : tag });
  return { facts: { ...facts, goVersion: undefined } };
}

function buildStage(
  model: DockerfileModel,
  stageIndex: number,
  from: From,
  instructions: Instruction[],
): Stage {
  const { index } = model;
  const earlier = model.stages;
  let baseText: string | undefined;
  let baseRange: Range | undefined;
  try {
    baseText = from.getImage() ?? undefined;
    baseRange = from.getImageRange() ?? undefined;
  } catch {
    baseText = undefined;
  }
  let name: string | undefined;
  let nameRange: Range | undefined;
  try {
    name = from.getBuildStage() ?? undefined;
    nameRange = from.getBuildStageRange() ?? undefined;
  } catch {
    name = undefined;
  }
  let platform: Located | undefined;
  try {
    // dockerfile-ast's getPlatformFlag gives up when the FROM has any other flag.
    const flag = from.getFlags().find((f) => f.getName() === 'platform');
    const value = flag?.getValue();
    const range = flag?.getValueRange();
    if (value !== undefined && value !== null && range) platform = { text: value, range };
  } catch {
    platform = undefined;
  }

  let parent: Stage | undefined;
  let base: ImageReference | undefined;
  let facts: ImageFacts;
  if (baseText !== undefined) {
    const expanded = expand(baseText, model.globalScope);
    parent = expanded.complete ? findStageByName(earlier, expanded.value) : undefined;
    if (parent) {
      facts = parent.facts;
    } else if (expanded.complete) {
      base = parseImageReference(expanded.value);
      facts = classifyImage(base);
    } else {
      facts = partialFacts(expanded.value).facts;
    }
  } else {
    facts = classifyImage({ text: '', repository: '' });
  }

  const stage: Stage = {
    index: stageIndex,
    name,
    nameRange,
    from,
    instructions,
    baseText,
    baseRange,
    base,
    parent,
    facts,
    platform,
    hasShell: parent ? parent.hasShell : facts.hasShell,
    shellInstruction: parent?.shellInstruction,
    args: [],
    scopeAtEnd: new Map(),
    envAtEnd: parent
      ? new Map(parent.envAtEnd)
      : facts.family === 'golang'
        ? new Map(GOLANG_IMAGE_ENV)
        : new Map(),
    workdirAtEnd: parent
      ? parent.workdirAtEnd
      : facts.family === 'golang'
        ? '/go'
        : facts.family === 'unknown'
          ? undefined
          : '/',
    runs: [],
    goCalls: [],
    goCommands: [],
    copies: [],
    fs: new StageFs(parent?.fs),
    packages: new Set(parent?.packages ?? []),
    goEnv: new Map(parent?.goEnv ?? []),
    module: { ...(parent?.module ?? {}), path: model.goMod?.module },
    cmd: parent?.cmd,
    entrypoint: parent?.entrypoint,
    healthcheck: parent?.healthcheck,
    user: parent?.user,
    usedBy: new Set(),
  };
  if (parent) parent.usedBy.add(stageIndex);
  if (!stage.envAtEnd.has('PATH') && facts.family !== 'unknown') {
    stage.envAtEnd.set('PATH', DEFAULT_PATH);
  }

  const env = stage.envAtEnd;
  // The ARG and ENV values as layers (a copy per change made long stages quadratic), and one
  // view of both per change, shared by the instructions until the next ARG or ENV.
  let argValues: Env = new Map();
  let envValues: Env = new Map(env);
  let snapshot: Scope | undefined;
  const scope = (): Scope => (snapshot ??= overlay(argValues, envValues));
  let ownCmd = false;

  for (const instruction of instructions) {
    try {
      switch (keywordOf(instruction)) {
        case 'ARG':
          for (const declaration of argDeclarations(model, instruction)) {
            stage.args.push(declaration);
            let value: EnvValue;
            if (declaration.defaultValue !== undefined) {
              const expanded = expand(declaration.defaultValue, scope());
              value = buildArgValue(
                model.options,
                declaration.name,
                expanded.complete ? expanded.value : null,
              );
            } else if (PLATFORM_ARGS.has(declaration.name)) {
              value = null;
            } else {
              value = buildArgValue(
                model.options,
                declaration.name,
                model.globalScope.get(declaration.name) ?? null,
              );
            }
            argValues = withValue(argValues, declaration.name, value);
            snapshot = undefined;
          }
          break;
        case 'ENV':
          for (const property of (
            instruction as unknown as { getProperties(): Property[] }
          ).getProperties()) {
            const raw = property.getValue() ?? '';
            const expanded = expand(raw, scope());
            const value = expanded.complete ? expanded.value : null;
            env.set(property.getName(), value);
            envValues = withValue(envValues, property.getName(), value);
            snapshot = undefined;
          }
          break;
        case 'WORKDIR': {
          const logical = logicalArguments(instruction, index, model.escapeChar);
          if (!logical) break;
          const expanded = expand(unquote(logical.text.trim()), scope());
          if (!expanded.complete) stage.workdirAtEnd = undefined;
          else if (isAbsolute(expanded.value)) stage.workdirAtEnd = resolve('/', expanded.value);
          else if (stage.workdirAtEnd !== undefined) {
            stage.workdirAtEnd = resolve(stage.workdirAtEnd, expanded.value);
          }
          if (stage.workdirAtEnd !== undefined) {
            stage.fs.add({
              path: stage.workdirAtEnd,
              kind: 'tree',
              origin: 'workdir',
              contents: new Set(),
              instruction,
            });
          }
          break;
        }
        case 'RUN':
          addRun(model, stage, instruction, scope());
          break;
        case 'COPY':
        case 'ADD':
          addCopy(model, stage, instruction, scope());
          break;
        case 'CMD':
          stage.cmd = startCommand(model, instruction, 'CMD');
          ownCmd = true;
          break;
        case 'ENTRYPOINT':
          stage.entrypoint = startCommand(model, instruction, 'ENTRYPOINT');
          // Docker: setting ENTRYPOINT resets a CMD inherited from the base.
          if (!ownCmd) stage.cmd = undefined;
          break;
        case 'HEALTHCHECK':
          stage.healthcheck = healthcheckCommand(model, instruction as Healthcheck);
          break;
        case 'USER': {
          const logical = logicalArguments(instruction, index, model.escapeChar);
          if (logical) {
            stage.user = { value: expand(logical.text.trim(), scope()).value, instruction };
          }
          break;
        }
        case 'SHELL':
          stage.shellInstruction = instruction;
          break;
        default:
          break;
      }
    } catch {
      // A malformed instruction contributes nothing; the rest of the stage is still modelled.
    }
  }
  stage.scopeAtEnd = new Map(scope());
  return stage;
}

// Stage names (lowercased) to the first stage of that name, per stage list, extended as the list
// grows: a linear search per lookup made files with thousands of stages quadratic.
const stageNames = new WeakMap<readonly Stage[], { count: number; names: Map<string, Stage> }>();

function findStageByName(stages: readonly Stage[], reference: string): Stage | undefined {
  let known = stageNames.get(stages);
  if (!known) {
    known = { count: 0, names: new Map() };
    stageNames.set(stages, known);
  }
  for (; known.count < stages.length; known.count++) {
    const name = stages[known.count].name?.toLowerCase();
    if (name !== undefined && !known.names.has(name)) known.names.set(name, stages[known.count]);
  }
  return known.names.get(reference.toLowerCase());
}

function mountsOf(instruction: Instruction): Flag[] {
  const withFlags = instruction as unknown as { getFlags?: () => Flag[] };
  try {
    return (withFlags.getFlags?.() ?? []).filter((f) => f.getName() === 'mount');
  } catch {
    return [];
  }
}

function flagsOf(instruction: Instruction): Flag[] {
  const withFlags = instruction as unknown as { getFlags?: () => Flag[] };
  try {
    return withFlags.getFlags?.() ?? [];
  } catch {
    return [];
  }
}

const HEREDOC_MARKER = /<<-?\s*(["']?)[A-Za-z_][A-Za-z0-9_]*\1/g;

/** The scripts and command lines a RUN executes. */
function runCommands(model: DockerfileModel, instruction: Instruction) {
  const logical = logicalArguments(instruction, model.index, model.escapeChar);
  const argv = execForm(logical?.text);
  if (argv) {
    return { exec: true, heredoc: false, script: undefined, commands: [commandFromArgv(argv)] };
  }
  const heredocs = heredocsOf(instruction, model.index);
  const commandLine = heredocCommandLine(instruction, model.index, model.escapeChar, heredocs);
  if (commandLine !== undefined) {
    const rest = commandLine.replace(HEREDOC_MARKER, '').trim();
    const restCommands = parseScript(rest).commands;
    const first = restCommands[0];
    // `RUN <<EOF` and `RUN bash <<EOF` run the body as a shell script.
    const feedsShell =
      rest === '' ||
      (restCommands.length === 1 &&
        SHELLS.has(programName(first.words[0]) ?? '') &&
        first.words.slice(1).every((w) => w.text.startsWith('-') && !w.text.includes('c')));
    if (!feedsShell) return { exec: false, heredoc: true, script: rest, commands: restCommands };
    const body = heredocs[0].body;
    if (body.startsWith('#!')) {
      const interpreter =
        body
          .slice(2, body.search(/\r?\n|$/))
          .trim()
          .split(/\s+/)
          .pop() ?? '';
      const name = interpreter.slice(interpreter.lastIndexOf('/') + 1);
      if (!SHELLS.has(name)) {
        return { exec: false, heredoc: true, script: undefined, commands: [], opaque: true };
      }
    }
    return { exec: false, heredoc: true, script: body, commands: parseScript(body).commands };
  }
  const script = logical?.text ?? '';
  return { exec: false, heredoc: false, script, commands: parseScript(script).commands };
}

const C_COMPILER_PACKAGES = new Set([
  'gcc',
  'clang',
  'build-base',
  'build-essential',
  'g++',
  'musl-dev',
]);

function addRun(model: DockerfileModel, stage: Stage, instruction: Instruction, scope: Scope) {
  const parsed = runCommands(model, instruction);
  const run: RunInfo = {
    instruction,
    exec: parsed.exec,
    script: parsed.script,
    heredoc: parsed.heredoc,
    commands: [],
    commandCwds: [],
    mounts: mountsOf(instruction),
    env: scope,
    cwd: stage.workdirAtEnd,
  };
  stage.runs.push(run);
  for (const mount of run.mounts) {
    const from = mount.getOption('from')?.getValue();
    if (from) findStage(model.stages, from)?.usedBy.add(stage.index);
  }
  if ('opaque' in parsed && parsed.opaque) stage.fs.markOpaque(instruction);
  let cwd = stage.workdirAtEnd;
  const visit = (commands: SimpleCommand[], env: Env, depth: number) => {
    for (const command of commands) {
      const commandIndex = run.commands.length;
      run.commands.push(command);
      run.commandCwds.push(cwd);
      const name = programName(command.words[0]);
      if (name === 'cd') {
        const target = command.words[1];
        if (!target || target.dynamic || target.text === '-' || target.text.startsWith('~')) {
          cwd = target ? undefined : cwd;
        } else if (isAbsolute(target.text)) cwd = resolve('/', target.text);
        else if (cwd !== undefined) cwd = resolve(cwd, target.text);
        continue;
      }
      if (name === 'export' || (command.words.length === 0 && command.assignments.length > 0)) {
        for (const a of command.assignments)
          env = withValue(env, a.name, a.value.dynamic ? null : a.value.text);
        for (const word of command.words.slice(1)) {
          const eq = word.text.indexOf('=');
          if (eq > 0)
            env = withValue(
              env,
              word.text.slice(0, eq),
              word.dynamic ? null : word.text.slice(eq + 1),
            );
        }
        continue;
      }
      const script = shellCommandScript(command);
      if (script !== undefined && depth < 4) {
        visit(parseScript(script, command.conditional).commands, env, depth + 1);
        continue;
      }
      const packages = packageCommand(command);
      if (packages?.action === 'install') {
        for (const word of packages.names) stage.packages.add(packageName(word.text));
      }
      // Only a command that runs go (maybe behind `env`, `exec`, ...) needs the environment
      // copied for it; copying it for every command made stages with many ENVs quadratic.
      const runsGo = command.words.some((w) => {
        const program = programName(w);
        return program === 'go' || program === 'xx-go' || program === 'go-wrapper';
      });
      let invocation: GoInvocation | undefined;
      if (runsGo) {
        invocation = parseGoInvocation(command, overlay(new Map(stage.goEnv), env), cwd);
        if (invocation) stage.goCommands.push({ run, commandIndex, invocation });
      }
      // `go env -w` persists in the stage's go configuration file.
      if (name === 'go' && command.words[1]?.text === 'env' && command.words[2]?.text === '-w') {
        for (const word of command.words.slice(3)) {
          const eq = word.text.indexOf('=');
          if (eq > 0 && !word.dynamic)
            stage.goEnv.set(word.text.slice(0, eq), word.text.slice(eq + 1));
        }
        continue;
      }
      const sub = invocation?.subcommand;
      if (invocation && (sub === 'build' || sub === 'install' || sub === 'run')) {
        stage.goCommands[stage.goCommands.length - 1].call = addGoCall(
          model,
          stage,
          run,
          invocation,
          commandIndex,
          instruction,
        );
        // `go run` executes the program, which may write anything.
        if (sub === 'run') stage.fs.markOpaque(instruction);
        continue;
      }
      if (sub === 'generate' || sub === 'tool') {
        stage.fs.markOpaque(instruction);
        continue;
      }
      const effect = commandEffect(command, cwd);
      if (effect.kind === 'opaque') stage.fs.markOpaque(instruction);
      else if (effect.kind === 'system') {
        for (const prefix of SYSTEM_WRITE_PREFIXES) {
          if (!stage.fs.systemWrites.includes(prefix)) stage.fs.systemWrites.push(prefix);
        }
      } else if (effect.kind === 'writes') {
        for (const write of effect.paths) {
          stage.fs.add({
            path: write.path,
            kind: write.kind,
            origin: name === 'mkdir' ? 'mkdir' : 'run',
            contents: name === 'mkdir' ? new Set() : undefined,
            cloned: write.cloned,
            instruction,
          });
        }
      }
    }
  };
  visit(parsed.commands, scope, 0);
}

/** The build-context path a file of the stage came from, when a COPY brought it from there. */
export function contextPathOf(stage: Stage, imagePath: string): string | undefined {
  const entries = stage.fs.entries;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry.origin !== 'copy' || entry.contextPath === undefined) continue;
    if (entry.kind === 'file') {
      if (entry.path === imagePath) return entry.contextPath;
    } else if (entry.contents && isWithin(imagePath, entry.path) && imagePath !== entry.path) {
      const relative =
        entry.path === '/' ? imagePath.slice(1) : imagePath.slice(entry.path.length + 1);
      if (entry.contents.has(relative)) {
        return entry.contextPath === '' ? relative : `${entry.contextPath}/${relative}`;
      }
    }
  }
  return undefined;
}

/**
 * The module a go command in `dir` builds: the nearest go.mod at or above it that a COPY brought
 * from the build context, read from there; else what the stage knows (go.mod given to the
 * analysis, root where it was copied).
 */
export function moduleFor(
  model: DockerfileModel,
  stage: Stage,
  dir: string | undefined,
): ModuleInfo {
  const read = model.context?.read;
  if (read && dir !== undefined) {
    for (let d = dir; ; d = dirname(d)) {
      const contextPath = contextPathOf(stage, join(d, 'go.mod'));
      if (contextPath !== undefined) {
        const text = read(contextPath);
        if (text !== undefined) return { root: d, path: parseGoMod(text).module };
        break;
      }
      if (d === '/') break;
    }
  }
  return stage.module;
}

function addGoCall(
  model: DockerfileModel,
  stage: Stage,
  run: RunInfo,
  invocation: GoInvocation,
  commandIndex: number,
  instruction: Instruction,
): GoCall {
  const output: GoOutput =
    invocation.subcommand === 'run'
      ? { kind: 'none' }
      : goOutputs(invocation, moduleFor(model, stage, invocation.cwd));
  const call: GoCall = {
    invocation,
    output,
    instruction,
    stageIndex: stage.index,
    run,
    commandIndex,
  };
  stage.goCalls.push(call);
  if (output.kind === 'file') {
    const binary: GoBinary = { name: output.name, builtAt: output.path, call };
    stage.fs.add({
      path: output.path,
      kind: 'file',
      origin: 'go',
      goBinaries: [binary],
      instruction,
    });
  } else if (output.kind === 'dir') {
    const binaries = (output.names ?? []).map((name) => ({
      name,
      builtAt: join(output.path, name),
      call,
    }));
    stage.fs.add({
      path: output.path,
      kind: 'tree',
      origin: 'go',
      goBinaries: binaries,
      instruction,
    });
  } else if (output.kind === 'unknown') {
    stage.fs.markOpaque(instruction);
  }
  return call;
}

function looksLikeImage(name: string): boolean {
  return name.includes('/') || name.includes(':') || name.includes('@');
}

function resolveFrom(model: DockerfileModel, stage: Stage, value: string): CopyFrom {
  if (value.includes('$')) return { kind: 'dynamic' };
  if (/^\d+$/.test(value)) {
    const n = Number(value);
    if (n < stage.index) return { kind: 'stage', stage: model.stages[n] };
    return { kind: 'index-out-of-range', index: n };
  }
  const earlier = findStageByName(model.stages, value);
  if (earlier) return { kind: 'stage', stage: earlier };
  const key = value.toLowerCase();
  if (stage.name !== undefined && stage.name.toLowerCase() === key) {
    return { kind: 'later-stage', stage };
  }
  if (looksLikeImage(value) || OFFICIAL_IMAGES.has(key)) return { kind: 'image', reference: value };
  return { kind: 'unknown', name: value };
}

/** Later stages are only known once the whole file is read: fix up `--from` references then. */
function resolveLaterStageReferences(model: DockerfileModel): void {
  for (const stage of model.stages) {
    for (const copy of stage.copies) {
      if (copy.from?.target.kind !== 'unknown' && copy.from?.target.kind !== 'image') continue;
      // No stage before this one has the name (else it would have resolved), so the first stage
      // of that name, if it comes after this one, is the later stage meant.
      const later = findStageByName(model.stages, copy.from.value);
      if (later && later.index > stage.index)
        copy.from.target = { kind: 'later-stage', stage: later };
    }
  }
}

function addCopy(model: DockerfileModel, stage: Stage, instruction: Instruction, scope: Scope) {
  const { index } = model;
  const keyword = keywordOf(instruction) as 'COPY' | 'ADD';
  const flags = flagsOf(instruction);
  const heredocs = heredocsOf(instruction, index);
  const copy: CopyInfo = {
    instruction,
    keyword,
    sources: [],
    heredoc: heredocs.length > 0,
    excludes: flags
      .filter((f) => f.getName() === 'exclude')
      .map((f) => f.getValue() ?? '')
      .filter((v) => v !== ''),
  };
  const fromFlag = flags.find((f) => f.getName() === 'from');
  if (fromFlag) {
    const raw = fromFlag.getValue() ?? '';
    const range = fromFlag.getValueRange() ?? fromFlag.getRange();
    const expanded = expand(raw, scope);
    const value = expanded.complete ? expanded.value : raw;
    const target = resolveFrom(model, stage, value);
    copy.from = { raw, value, range, target };
    if (target.kind === 'stage') target.stage.usedBy.add(stage.index);
  }
  // Collect the words: JSON form, or plain arguments (for heredocs, only the first line's).
  const logical = logicalArguments(instruction, index, model.escapeChar);
  const json = execForm(logical?.text);
  let words: Located[] = [];
  const jsonStrings =
    (
      instruction as unknown as { getJSONStrings?: () => { getRange(): Range }[] }
    ).getJSONStrings?.() ?? [];
  const jsonForm = json !== undefined && jsonStrings.length === json.length;
  if (json && jsonForm) {
    words = jsonStrings.map((s, i) => ({ text: json[i], range: s.getRange() }));
  } else {
    const args = instructionArguments(instruction);
    const firstLine = args[0]?.getRange().start.line;
    const bodyStart = heredocs[0]?.range.start.line;
    words = args
      .filter(
        (a) =>
          bodyStart === undefined ||
          a.getRange().start.line < bodyStart ||
          a.getRange().start.line === firstLine,
      )
      .map((a) => ({ text: a.getValue(), range: a.getRange() }));
  }
  if (words.length === 0) {
    stage.copies.push(copy);
    return;
  }
  const destWord = words[words.length - 1];
  const sourceWords = words.slice(0, -1);
  const destExpanded = expand(destWord.text, scope);
  let destPath: string | undefined;
  if (destExpanded.complete) {
    if (isAbsolute(destExpanded.value)) destPath = resolve('/', destExpanded.value);
    else if (stage.workdirAtEnd !== undefined)
      destPath = resolve(stage.workdirAtEnd, destExpanded.value);
  }
  // A destination that already is a directory (WORKDIR, mkdir, an earlier COPY into it) receives
  // the sources inside it, with or without a trailing slash.
  const found = destPath === undefined ? undefined : stage.fs.lookup(destPath);
  const existingDirectory =
    found?.presence === 'yes' && (found.entry?.kind === 'tree' || found.entry?.path !== destPath);
  const directory =
    destExpanded.value.endsWith('/') ||
    sourceWords.length > 1 ||
    destExpanded.value === '.' ||
    existingDirectory;
  copy.destination = { raw: destWord.text, path: destPath, range: destWord.range, directory };
  for (const word of sourceWords) {
    const expanded = expand(word.text, scope);
    copy.sources.push({ text: expanded.value, raw: word.text, range: word.range, json: jsonForm });
  }
  stage.copies.push(copy);
  if (copy.heredoc) {
    if (destPath) {
      const path = directory ? join(destPath, heredocs[0].name) : destPath;
      stage.fs.add({ path, kind: 'file', origin: 'copy', instruction });
    }
    return;
  }
  if (destPath === undefined) {
    stage.fs.markOpaque(instruction);
    return;
  }
  for (const source of copy.sources) {
    recordCopy(model, stage, copy, source, destPath, directory);
  }
}

function recordCopy(
  model: DockerfileModel,
  stage: Stage,
  copy: CopyInfo,
  source: CopySource,
  destPath: string,
  directory: boolean,
) {
  const instruction = copy.instruction;
  const target = copy.from?.target;
  // Docker copies a directory's contents into the destination, and a file into it (when the
  // destination is a directory) or onto it.
  const fileTarget = directory ? join(destPath, basename(source.text)) : destPath;
  const relative = trimTrailingSlashes(source.text.replace(/^(?:\.?\/)+/, ''));
  const wholeContext = relative === '' || relative === '.';
  if (target === undefined && stage.module.root === undefined) {
    // Where go.mod lands is the module root (`COPY . .`, `COPY go.mod go.sum ./`, `COPY go.* ./`).
    if (wholeContext) stage.module.root = destPath;
    else if (!relative.includes('/') && matchSegment(relative, 'go.mod')) {
      stage.module.root = directory || hasGlob(relative) ? destPath : dirname(destPath);
    }
  }
  if (source.text.includes('$')) {
    stage.fs.add({ path: destPath, kind: 'tree', origin: 'copy', instruction });
    return;
  }
  if (hasGlob(source.text) && target === undefined && model.context && !relative.includes('**')) {
    // With the context known, a glob copies what it matches: files into the destination
    // directory, directories by their contents.
    const matched = model.context.matchGlob(relative);
    for (const file of matched.files) {
      stage.fs.add({
        path: join(destPath, basename(file)),
        kind: 'file',
        origin: 'copy',
        contextPath: file,
        instruction,
      });
    }
    for (const dir of matched.dirs) {
      stage.fs.add({
        path: destPath,
        kind: 'tree',
        origin: 'copy',
        contents: model.context.filesBelow(dir),
        contextPath: dir,
        instruction,
      });
    }
    if (matched.files.length + matched.dirs.length === 0) {
      stage.fs.add({
        path: destPath,
        kind: 'tree',
        origin: 'copy',
        contents: new Set(),
        instruction,
      });
    }
    return;
  }
  if (hasGlob(source.text)) {
    // A glob from the context copies matching files (by name) into the destination directory.
    const glob = basename(source.text);
    const simple =
      target === undefined &&
      !source.text.replace(/^\.?\//, '').includes('/') &&
      !glob.includes('**');
    stage.fs.add({
      path: destPath,
      kind: 'tree',
      origin: 'copy',
      pattern: simple ? glob : undefined,
      instruction,
    });
    return;
  }
  if (target?.kind === 'stage') {
    const from = target.stage;
    const path = resolve('/', source.text);
    const found = from.fs.lookup(path);
    if (found.presence === 'yes' && found.entry?.kind === 'file' && found.entry.path === path) {
      stage.fs.add({
        path: fileTarget,
        kind: 'file',
        origin: 'copy',
        goBinaries: found.entry.goBinaries,
        instruction,
      });
      return;
    }
    // One binary out of a directory the build wrote several into (`go build -o bin/ ./cmd/...`).
    const binary = from.fs.goBinaries().find((b) => b.path === path);
    if (binary) {
      stage.fs.add({
        path: fileTarget,
        kind: 'file',
        origin: 'copy',
        goBinaries: [{ ...binary.binary, name: basename(fileTarget) }],
        instruction,
      });
      return;
    }
    // A directory: carry along the Go binaries known directly below it.
    const prefix = path === '/' ? '/' : path + '/';
    const binaries: GoBinary[] = [];
    for (const { path: binaryPath, binary } of from.fs.goBinaries()) {
      const relative = binaryPath.startsWith(prefix) ? binaryPath.slice(prefix.length) : '';
      if (relative !== '' && !relative.includes('/')) binaries.push({ ...binary, name: relative });
    }
    stage.fs.add({
      path: destPath,
      kind: 'tree',
      origin: 'copy',
      goBinaries: binaries.length > 0 ? binaries : undefined,
      instruction,
    });
    return;
  }
  if (target !== undefined) {
    stage.fs.add({ path: destPath, kind: 'tree', origin: 'copy', instruction });
    return;
  }
  // From the build context.
  const context = model.context;
  if (!context) {
    // Without the context, a name with an extension (go.mod, config.yaml) is taken to be a file.
    const name = basename(relative);
    const file = !wholeContext && name.lastIndexOf('.') > 0;
    if (file) stage.fs.add({ path: fileTarget, kind: 'file', origin: 'copy', instruction });
    else stage.fs.add({ path: destPath, kind: 'tree', origin: 'copy', instruction });
    return;
  }
  if (wholeContext || context.isDirectory(relative)) {
    const source = wholeContext ? '' : relative;
    stage.fs.add({
      path: destPath,
      kind: 'tree',
      origin: 'copy',
      contents: context.filesBelow(source),
      contextPath: source,
      instruction,
    });
  } else if (context.files.has(relative)) {
    stage.fs.add({
      path: fileTarget,
      kind: 'file',
      origin: 'copy',
      contextPath: relative,
      instruction,
    });
  }
}

function startCommand(
  model: DockerfileModel,
  instruction: Instruction,
  keyword: 'CMD' | 'ENTRYPOINT',
): StartCommand | undefined {
  const logical = logicalArguments(instruction, model.index, model.escapeChar);
  if (!logical) return undefined;
  return commandFrom(model, instruction, keyword, logical.text, logical.start, logical.end);
}

function commandFrom(
  model: DockerfileModel,
  instruction: Instruction,
  keyword: StartCommand['keyword'],
  text: string,
  start: number,
  end: number,
): StartCommand {
  const range = model.index.rangeOf(start, end);
  const argv = execForm(text);
  if (argv) {
    const strings = jsonStrings(model.text, start, end);
    if (strings && strings.length === argv.length) {
      return {
        instruction,
        keyword,
        exec: argv.map((t, i) => ({
          text: t,
          range: model.index.rangeOf(strings[i].start, strings[i].end),
        })),
        range,
      };
    }
    return { instruction, keyword, exec: argv.map((t) => ({ text: t, range })), range };
  }
  return { instruction, keyword, shell: text, range };
}

function healthcheckCommand(
  model: DockerfileModel,
  instruction: Healthcheck,
): StartCommand | undefined {
  const sub = instruction.getSubcommand();
  if (!sub || sub.getValue().toUpperCase() !== 'CMD') return undefined;
  const start = model.index.offsetAt(sub.getRange().end);
  const end = model.index.offsetAt(instruction.getRange().end);
  const raw = model.text.slice(start, end);
  const text = joinContinuations(raw, model.escapeChar);
  const leading = text.length - text.trimStart().length;
  return commandFrom(model, instruction, 'HEALTHCHECK', text.trim(), start + leading, end);
}

/** Whether cgo is on for a go command, and whether `CGO_ENABLED` says so explicitly. */
export function cgoState(stage: Stage, call: GoCall): { state: CgoState; explicit: boolean } {
  return cgoStateFor(stage, call.invocation.env.get('CGO_ENABLED'));
}

/** Whether cgo is on for a build in the stage with CGO_ENABLED set to `value` (or unset). */
export function cgoStateFor(
  stage: Stage,
  value: EnvValue | undefined,
): { state: CgoState; explicit: boolean } {
  if (value === '0') return { state: 'off', explicit: true };
  if (value === '1') return { state: 'on', explicit: true };
  if (value === null || value !== undefined) return { state: 'unknown', explicit: true };
  const byDefault = stage.facts.cgoByDefault;
  if (byDefault === undefined) return { state: 'unknown', explicit: false };
  if (byDefault) return { state: 'on', explicit: false };
  // golang:*-alpine has no C compiler until one is installed; Go then turns cgo off.
  const compiler = [...stage.packages].some((p) => C_COMPILER_PACKAGES.has(p));
  return { state: compiler ? 'on' : 'off', explicit: false };
}
