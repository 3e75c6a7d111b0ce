/**
 * Build command lines: `docker build`, `docker image build`, `docker buildx build`, `docker
 * builder build`, `podman build`, `nerdctl build`, `buildah bud` / `buildah build`, with the
 * options that say which Dockerfile, which stage, which platforms, which arguments and what
 * comes out (`-f`, `--target`, `--platform`, `--build-arg`, `--output`, `--push`/`--load`), and
 * the context. Words whose value is not known (a variable the file does not set) leave that part
 * unknown.
 */
import { parseScript, logicalLines, type SimpleCommand } from '../core/model/shell';
import type { BuildArg, BuildDeclaration, IncludeReader } from './types';
import { buildVerb, classicBuilder, VALUE_OPTIONS } from './build-program';
import { substitute, type VariableScope } from './variables';
import { markExtracted } from './extracted-images';
import { withStdinFile } from './stdin-dockerfile';

/** A build command's part of a declaration (the caller adds where it is declared). */
export type CommandBuild = Pick<
  BuildDeclaration,
  | 'context'
  | 'dockerfile'
  | 'dockerfileFrom'
  | 'target'
  | 'platforms'
  | 'args'
  | 'output'
  | 'containerfileDefault'
  | 'dockerfilePattern'
  | 'classic'
>;

/**
 * `type=local,dest=out` / `./out` / `-`: files taken out of the build, not an image
 * (`type=cacheonly` keeps nothing at all).
 */
/** The `type=` of an output (`type=local,dest=out` → `local`), if written. */
export function outputType(output: string): string | undefined {
  return /(?:^|,)\s*type=([^,]+)/.exec(output)?.[1]?.trim();
}

export function isExport(output: string): boolean {
  if (output === '-') return true;
  const type = outputType(output);
  if (type === undefined) return !output.includes('=');
  return type === 'local' || type === 'tar' || type === 'cacheonly';
}

/**
 * What a build's outputs make: an image when it pushes or loads one or when an output is an image
 * (or none is given: the builder's default); files when every output is an export; unknown when
 * the list, or an output that is not known to be an export, cannot be read (null).
 */
export function outputKind(
  outputs: readonly (string | null)[] | null | undefined,
  image = false,
): 'image' | 'export' | 'unknown' {
  if (image || outputs === undefined) return 'image';
  if (outputs === null) return 'unknown';
  if (outputs.length === 0) return 'image';
  if (outputs.some((o) => o !== null && !isExport(o))) return 'image';
  return outputs.some((o) => o === null) ? 'unknown' : 'export';
}

/** Splits a `--platform` value (`linux/amd64,linux/arm64`). */
export function splitPlatforms(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** The options of a build command read so far: undefined when not given, null when unknown. */
interface BuildOptions {
  dockerfile?: string | null;
  /** `-f` written with a variable not known here: the word as written. */
  dockerfilePattern?: string;
  target?: string | null;
  platforms?: string[] | null;
  args: BuildArg[];
  outputs: (string | null)[];
  /** The image's names (`-t`, `--tag`), as written. */
  tags: string[];
  /** `-f -`: the Dockerfile comes on standard input. */
  stdin?: boolean;
}

/** A word's value with its variables resolved; null when it is not known. */
type WordValue = (text: string | undefined) => string | null;

/** Reads the value `given` of the option `name` (one of VALUE_OPTIONS) into `options`. */
function readOption(
  options: BuildOptions,
  name: string,
  given: string | undefined,
  value: WordValue,
): void {
  switch (name) {
    case '-f':
    case '--file':
      options.dockerfile = given === '-' ? null : value(given);
      options.stdin = given === '-';
      // Standard input is no file of the repository; a variable may be any of them.
      options.dockerfilePattern =
        options.dockerfile === null && given !== undefined && given !== '-' ? given : undefined;
      break;
    case '--target':
      options.target = value(given);
      break;
    case '-t':
    case '--tag':
      if (given !== undefined) options.tags.push(given);
      break;
    case '--platform': {
      const text = value(given);
      if (text === null) options.platforms = null;
      else if (options.platforms !== null)
        options.platforms = [...(options.platforms ?? []), ...splitPlatforms(text)];
      break;
    }
    case '--build-arg': {
      if (given === undefined) break;
      const at = given.indexOf('=');
      const argName = at < 0 ? given : given.slice(0, at);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(argName)) break;
      // `--build-arg NAME` passes the variable of the calling environment: not known here.
      options.args.push({ name: argName, value: at < 0 ? null : value(given.slice(at + 1)) });
      break;
    }
    case '-o':
    case '--output':
      options.outputs.push(value(given) ?? knownOutputType(given));
      break;
    default:
      break;
  }
}

/** The output types of `--output type=…`. None is the start of another. */
const OUTPUT_TYPES = new Set(['cacheonly', 'docker', 'image', 'local', 'oci', 'registry', 'tar']);

/**
 * The type of an output whose value is not fully known (`type=docker$(if …)`, `type=local,dest=$D`)
 * when the literal text before its first variable is a whole `type=NAME` or `type=NAME,…`: the
 * rest can only add attributes (no type is the start of another), else the build fails anyway.
 */
function knownOutputType(given: string | undefined): string | null {
  if (given === undefined) return null;
  const dollar = given.indexOf('$');
  const literal = dollar < 0 ? given : given.slice(0, dollar);
  const match = /^type=([a-z]+)(?:,|$)/.exec(literal);
  return match && OUTPUT_TYPES.has(match[1]) ? `type=${match[1]}` : null;
}

/** The build context a command's last positional word names; null when it is none of this repository. */
function buildContext(word: string | undefined, value: WordValue): string | null {
  const context = word === undefined ? null : value(word);
  // A context from standard input, a Git repository or a URL holds no file of this repository.
  if (
    context !== null &&
    (context === '-' ||
      /^[a-z][a-z0-9+.-]*:\/\//i.test(context) ||
      /^git@|\.git(#|$)/.test(context))
  ) {
    return null;
  }
  return context;
}

/**
 * Reads one command's words (already split by the shell tokenizer; variables kept as `${NAME}`)
 * as a build command, resolving variables through `scope`. Undefined when it is not one.
 */
export function readBuildCommand(
  command: Pick<SimpleCommand, 'words'> & Partial<Pick<SimpleCommand, 'assignments'>>,
  scope: VariableScope,
): ReadBuild | undefined {
  const raw = command.words.map((w) => w.text);
  const verb = buildVerb(raw, scope);
  if (!verb) return undefined;
  const classic = classicBuilder(command, raw, verb, scope);
  const value: WordValue = (text) =>
    text === undefined
      ? null
      : text.includes('__command_substitution__')
        ? null
        : substitute(text, scope);
  const options: BuildOptions = { args: [], outputs: [], tags: [] };
  let image = false;
  const positional: string[] = [];
  for (let i = verb.skip; i < raw.length; i++) {
    const word = raw[i];
    if (word === '--') {
      positional.push(...raw.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      positional.push(word);
      continue;
    }
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    let name = eq < 0 ? word : word.slice(0, eq);
    let given: string | undefined = eq < 0 ? undefined : word.slice(eq + 1);
    // `-fDockerfile`, `-tname`: a short option with its value attached.
    if (!word.startsWith('--') && word.length > 2 && VALUE_OPTIONS.has(word.slice(0, 2))) {
      name = word.slice(0, 2);
      given = word.slice(2);
    }
    if (name === '--push' || name === '--load') {
      image = given === undefined || given === 'true';
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) continue;
    if (given === undefined) given = raw[++i];
    readOption(options, name, given, value);
  }
  const { outputs } = options;
  const build: CommandBuild = {
    context: buildContext(positional[positional.length - 1], value),
    dockerfile: options.dockerfile,
    dockerfileFrom: 'cwd',
    target: options.target,
    platforms: options.platforms,
    args: options.args,
    output: outputKind(outputs, image),
    ...(verb.containerfile ? { containerfileDefault: true } : {}),
    ...(classic ? { classic: true } : {}),
    ...(options.dockerfilePattern !== undefined
      ? { dockerfilePattern: options.dockerfilePattern }
      : {}),
  };
  return {
    build,
    command: [verb.name, ...raw.slice(verb.program + 1, verb.skip)].join(' '),
    tags: options.tags,
    pushes: image,
    ...(options.stdin ? { stdinDockerfile: true } : {}),
  };
}

/** A build command as read: the build, its label, its image's names and whether it pushes. */
export interface ReadBuild {
  build: CommandBuild;
  /** The command as a label: `docker buildx build`, `podman build`. */
  command: string;
  /** The image's names (`-t`), as written. */
  tags: readonly string[];
  /** `--push` or `--load`: the image is kept (pushed or loaded), whatever else the text does. */
  pushes: boolean;
  /** `-f -`: the Dockerfile comes on standard input (the build's `dockerfile` is null). */
  stdinDockerfile?: boolean;
}

/** A build found in a shell text, with the zero-based line it starts on and its directory. */
export interface ShellBuild extends ReadBuild {
  line: number;
  /** The directory a `cd` on the same line moved to, relative to where the text runs; null when unknown. */
  cwd: string | null;
}

const SCRIPT_DIR =
  /"?\$\(\s*dirname\s+(?:--\s+)?["']?\$(?:0|\{0\}|\{BASH_SOURCE(?:\[0\])?\}|BASH_SOURCE)["']?\s*\)"?/g;
const REPO_ROOT = /"?\$\(\s*git\s+rev-parse\s+--show-toplevel\s*\)"?/g;

/** Where `cd` words that name the script's own folder or the repository root lead. */
export const SCRIPT_DIR_MARK = '@script-dir@';
export const REPO_ROOT_MARK = '@repo-root@';

/** What a shell session carries from one line to the next: variables and the directory. */
export interface ShellState {
  scope: Map<string, string | null>;
  /** Relative to where the text starts running; null once a `cd` goes somewhere unknown. */
  cwd: string | null;
  /** Reads the files the text sources (`. ./.env`, `source "$(dirname "$0")/common.sh"`). */
  include?: IncludeReader;
}

/** Sourced files read within sourced files, at most this deep. */
const MAX_SOURCE_DEPTH = 4;

/** The programs a shell text must name to hold a build. */
export const BUILD_WORDS = /\b(docker|podman|buildah|nerdctl|docker-buildx)\b/;

/**
 * The builds a variable's value holds when it is a command kept to be run later
 * (`cmd="docker buildx build --target x ."`, then `eval "$cmd"` or a helper that runs it).
 */
function buildsInValue(value: string, scope: VariableScope): ReturnType<typeof readBuildCommand>[] {
  if (!BUILD_WORDS.test(value)) return [];
  return parseScript(maskSubstitutions(value)).commands.map((c) => readBuildCommand(c, scope));
}

/**
 * The build commands of a shell text (a script, a Makefile recipe line, a CI `run:` block),
 * following simple assignments (`NAME=value`, `export NAME=value`) and `cd DIR` (`cd "$(dirname
 * "$0")/.."` is the script's folder's parent) in `state`, which the caller may carry on to the
 * next text of the same shell. `startLine` is the text's first line in its file.
 */
export function shellBuilds(
  text: string,
  state: ShellState = { scope: new Map(), cwd: '.' },
  startLine = 0,
): ShellBuild[] {
  return markExtracted(readShell(text, state, startLine, 0), text);
}

/** `shellBuilds` for a text sourced `depth` files deep. */
function readShell(text: string, state: ShellState, startLine: number, depth: number) {
  const found: ShellBuild[] = [];
  const starts: number[] = [];
  const lines = logicalLines(text, starts);
  const scope = state.scope;
  lines.forEach((line, index) => {
    if (
      // A build program, `cd`, an assignment, a sourced file, a program named by a variable.
      !/\b(docker|podman|buildah|nerdctl|docker-buildx|cd|pushd|export|source)\b|=|^\s*(\.\s|\$)/.test(
        line,
      )
    )
      return;
    const marked = maskSubstitutions(
      line.replace(SCRIPT_DIR, SCRIPT_DIR_MARK).replace(REPO_ROOT, REPO_ROOT_MARK),
    );
    const commands = parseScript(marked).commands;
    let lineCwd = state.cwd;
    for (const [at, command] of commands.entries()) {
      const words = command.words.map((w) => w.text);
      if (words.length === 0) {
        for (const assignment of command.assignments) {
          for (const read of buildsInValue(assignment.value.text, scope)) {
            if (read) found.push({ line: startLine + (starts[index] ?? 0), cwd: lineCwd, ...read });
          }
          scope.set(assignment.name, substitute(assignment.value.text, scope));
        }
        continue;
      }
      if ((words[0] === 'source' || words[0] === '.') && words[1] !== undefined) {
        // A sourced file runs in this shell: its variables and `cd` carry on here. Its own
        // builds are read from the file itself when it is a build file.
        const path = substitute(words[1], scope);
        if (state.include && depth < MAX_SOURCE_DEPTH && path !== null && lineCwd !== null) {
          const marked = path.startsWith(SCRIPT_DIR_MARK) || path.startsWith(REPO_ROOT_MARK);
          // Files outside the repository (`/etc/profile`, `~/.bashrc`) are not read.
          const where = marked ? path : joinCwd(lineCwd, path);
          const sourced = where === null ? undefined : state.include(where);
          if (sourced !== undefined) readShell(sourced, state, 0, depth + 1);
        }
        continue;
      }
      if (['export', 'readonly', 'local', 'declare'].includes(words[0])) {
        for (const word of words.slice(1)) {
          const eq = word.indexOf('=');
          if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(word.slice(0, eq))) {
            scope.set(word.slice(0, eq), substitute(word.slice(eq + 1), scope));
          }
        }
        continue;
      }
      if (words[0] === 'cd' || words[0] === 'pushd') {
        const target = words[1] === undefined ? null : substitute(words[1], scope);
        lineCwd = target === null || lineCwd === null ? null : joinCwd(lineCwd, target);
        // Not in a pipeline or after `||`, where it may not run: the shell stays there.
        if (command.joinedBy !== '|' && command.joinedBy !== '||') state.cwd = lineCwd;
        continue;
      }
      const read = readBuildCommand(command, scope);
      if (read) {
        const build = withStdinFile(read.build, read.stdinDockerfile, commands, at, scope);
        found.push({ line: startLine + (starts[index] ?? 0), cwd: lineCwd, ...read, build });
      }
    }
  });
  return found;
}

const SUBSTITUTION = '${__command_substitution__}';

/**
 * A line with its command substitutions (`$(…)`, backquotes) replaced by a variable that is
 * never known, so that the tokenizer keeps the words around them whole.
 */
function maskSubstitutions(line: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      out += c;
      continue;
    }
    if (c === '\\') {
      out += c + (line[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === "'" && quote === undefined) quote = "'";
    else if (c === '"') quote = quote === '"' ? undefined : '"';
    if (c === '$' && line[i + 1] === '(') {
      let depth = 0;
      let j = i + 1;
      for (; j < line.length; j++) {
        if (line[j] === '(') depth++;
        else if (line[j] === ')' && --depth === 0) break;
      }
      out += SUBSTITUTION;
      i = j;
      continue;
    }
    if (c === '`') {
      const close = line.indexOf('`', i + 1);
      out += SUBSTITUTION;
      i = close < 0 ? line.length : close;
      continue;
    }
    out += c;
  }
  return out;
}

/** `cd target` from `from` (both relative, `/` separators); marks and absolute paths restart. */
function joinCwd(from: string, target: string): string | null {
  if (target.startsWith(SCRIPT_DIR_MARK) || target.startsWith(REPO_ROOT_MARK)) return target;
  if (target.startsWith('/') || target.startsWith('~') || target === '-') return null;
  return from === '.' ? target : `${from}/${target}`;
}
