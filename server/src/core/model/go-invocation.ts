/**
 * Reads `go build`, `go install`, `go run` and the other go subcommands out of simple commands,
 * and works out what files `go build` / `go install` write, following cmd/go's rules:
 * `-o file`, `-o dir/`, no `-o` (the package's last import-path element in the current
 * directory), `go install` (`$GOBIN` or `$GOPATH/bin`).
 */
import { withValue, type Env } from './env';
import { binaryNameOfImportPath } from './gomod';
import { programName, type SimpleCommand, type Word } from './shell';
import { basename, isAbsolute, join, normalize, resolve } from '../text/posix-path';
import { expand } from './variables';

export type { Env, EnvValue } from './env';

// Flags of the go build family that take a value (`-o out` as well as `-o=out`).
const VALUE_FLAGS = new Set([
  'o',
  'p',
  'C',
  'asmflags',
  'buildmode',
  'compiler',
  'gccgoflags',
  'gcflags',
  'installsuffix',
  'ldflags',
  'mod',
  'modfile',
  'overlay',
  'pgo',
  'pkgdir',
  'tags',
  'toolexec',
  'coverpkg',
  'covermode',
  'exec',
  'run',
  'bench',
  'count',
  'timeout',
  'cpu',
  'parallel',
  'benchtime',
  'coverprofile',
  'cpuprofile',
  'memprofile',
  'outputdir',
  'shuffle',
  'skip',
  'fuzz',
  'fuzztime',
]);

export interface GoFlag {
  name: string;
  value: string | true;
  dynamic: boolean;
}

/** One invocation of the go command found in a RUN. */
export interface GoInvocation {
  /** `build`, `install`, `run`, `get`, `mod`, `env`, `test`, `generate`, ... */
  subcommand: string;
  /** The go command's own arguments after the subcommand. */
  args: Word[];
  flags: GoFlag[];
  /** Positional arguments: packages, `.go` files, `pkg@version`. */
  packages: Word[];
  /** For `go run`: the program's arguments after the package. */
  programArgs: Word[];
  /** Environment the command runs with (stage ENV and ARGs, exports, inline assignments). */
  env: Env;
  /** Names of the variables assigned inline on this command (`CGO_ENABLED=0 go build`). */
  inlineNames: string[];
  /** Directory the command runs in, after `cd` and `-C`; undefined when unknown. */
  cwd: string | undefined;
  /** Run through tonistiigi/xx's `xx-go`, which targets `$TARGETPLATFORM`. */
  viaXx: boolean;
  /**
   * A command before it in the RUN reads variables from a file or text (`. /env`, `source`,
   * `eval`), which may set any of them: a variable missing from `env` may still be set.
   */
  envSourced?: boolean;
  /** The command as parsed, for locating it in the document. */
  command: SimpleCommand;
}

export function flagValue(invocation: GoInvocation, name: string): string | true | undefined {
  let value: string | true | undefined;
  for (const flag of invocation.flags) if (flag.name === name) value = flag.value;
  return value;
}

function parseFlags(args: Word[], subcommand: string) {
  const flags: GoFlag[] = [];
  const positional: Word[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const word = args[i];
    if (word.text === '--') {
      i++;
      break;
    }
    if (!word.text.startsWith('-') || word.text === '-') break;
    const body = word.text.replace(/^--?/, '');
    const eq = body.indexOf('=');
    if (eq >= 0) {
      flags.push({ name: body.slice(0, eq), value: body.slice(eq + 1), dynamic: word.dynamic });
      continue;
    }
    const takesValue =
      VALUE_FLAGS.has(body) ||
      (body === 'buildvcs' && /^(true|false|auto)$/.test(args[i + 1]?.text ?? ''));
    if (takesValue && i + 1 < args.length) {
      const next = args[i + 1];
      flags.push({ name: body, value: next.text, dynamic: next.dynamic });
      i++;
    } else {
      flags.push({ name: body, value: true, dynamic: false });
    }
  }
  const rest = args.slice(i);
  const programArgs: Word[] = [];
  if (subcommand === 'run') {
    // go run [flags] package|files... [arguments...]: leading .go files form the package.
    let j = 0;
    while (j < rest.length && rest[j].text.endsWith('.go')) j++;
    const packageCount = j > 0 ? j : Math.min(1, rest.length);
    positional.push(...rest.slice(0, packageCount));
    programArgs.push(...rest.slice(packageCount));
  } else {
    positional.push(...rest);
  }
  return { flags, positional, programArgs };
}

/**
 * Recognises the go command in a simple command (also behind `env`, `exec`, `xx-go`).
 * `env` and `cwd` describe the shell state the command runs in.
 */
export function parseGoInvocation(
  command: SimpleCommand,
  env: Env,
  cwd: string | undefined,
): GoInvocation | undefined {
  const words = command.words;
  let start = 0;
  let localEnv = env;
  const inlineNames: string[] = [];
  for (const assignment of command.assignments) {
    localEnv = withValue(
      localEnv,
      assignment.name,
      assignment.value.dynamic ? null : assignment.value.text,
    );
    inlineNames.push(assignment.name);
  }
  // Skip wrappers that run their argument as a command.
  for (;;) {
    const name = programName(words[start]);
    if (name === 'env') {
      start++;
      while (start < words.length) {
        const text = words[start].text;
        const eq = text.indexOf('=');
        if (text.startsWith('-')) {
          start += text === '-u' ? 2 : 1;
        } else if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(text.slice(0, eq))) {
          localEnv = withValue(
            localEnv,
            text.slice(0, eq),
            words[start].dynamic ? null : text.slice(eq + 1),
          );
          inlineNames.push(text.slice(0, eq));
          start++;
        } else break;
      }
      continue;
    }
    if (name === 'exec' || name === 'command' || name === 'nohup' || name === 'time') {
      start++;
      continue;
    }
    break;
  }
  const program = programName(words[start]);
  let viaXx = false;
  let subcommand = words[start + 1]?.text;
  if (program === 'xx-go') {
    viaXx = true;
    if (words[start + 1]?.text.startsWith('--')) return undefined;
  } else if (program === 'go-wrapper') {
    // The old golang images' script: `install` runs `go install -v [args]` on the current
    // directory's package, `download` runs `go get -v -d [args]`.
    if (subcommand === 'download') subcommand = 'get';
    else if (subcommand !== 'install') return undefined;
  } else if (program !== 'go') {
    return undefined;
  }
  if (!subcommand || subcommand.startsWith('-')) return undefined;
  const args = words.slice(start + 2);
  const { flags, positional, programArgs } = parseFlags(args, subcommand);
  let effectiveCwd = cwd;
  for (const flag of flags) {
    if (flag.name === 'C' && typeof flag.value === 'string') {
      effectiveCwd =
        flag.dynamic || effectiveCwd === undefined ? undefined : resolve(effectiveCwd, flag.value);
    }
  }
  return {
    subcommand,
    args,
    flags,
    packages: positional,
    programArgs,
    env: localEnv,
    inlineNames,
    cwd: effectiveCwd,
    viaXx,
    command,
  };
}

/** Where the module's `go.mod` sits in the stage, and the module path it declares. */
export interface ModuleInfo {
  root?: string;
  path?: string;
}

/** What a `go build` / `go install` writes. */
export type GoOutput =
  | { kind: 'file'; path: string; name: string }
  | { kind: 'dir'; path: string; names?: string[] }
  | { kind: 'none' }
  | { kind: 'unknown' };

/** The paths an output names, for display: a folder's binaries, or `dir/…` when they are unknown. */
export function outputPaths(output: GoOutput): string[] {
  if (output.kind === 'file') return [output.path];
  if (output.kind !== 'dir') return [];
  const dir = output.path.replace(/\/$/, '');
  const names = output.names ?? [];
  return names.length === 0 ? [`${dir}/…`] : names.map((name) => `${dir}/${name}`);
}

function isPattern(text: string): boolean {
  return text.includes('...');
}

/**
 * The binary name of one package argument (or of the current directory for `.`), or undefined
 * when it cannot be known here.
 */
export function packageBinaryName(
  pkg: Word | undefined,
  cwd: string | undefined,
  module: ModuleInfo,
): string | undefined {
  const text = pkg?.text ?? '.';
  if (pkg?.dynamic || isPattern(text)) return undefined;
  const bare = text.split('@')[0];
  if (bare.endsWith('.go')) return basename(bare).slice(0, -3);
  if (bare === 'tool' || bare === 'std' || bare === 'all' || bare === 'cmd') return undefined;
  const local = bare === '.' || bare === '..' || bare.startsWith('./') || bare.startsWith('../');
  if (!local && !isAbsolute(bare)) return binaryNameOfImportPath(bare);
  if (cwd === undefined && !isAbsolute(bare)) return undefined;
  const dir = resolve(cwd ?? '/', bare);
  // Without other knowledge, assume the build runs from the module root (WORKDIR + COPY . .).
  const root = module.root ?? cwd;
  if (module.path !== undefined && root !== undefined) {
    if (dir === root) return binaryNameOfImportPath(module.path);
    if (dir.startsWith(root + '/')) {
      return binaryNameOfImportPath(module.path + dir.slice(root.length));
    }
  }
  // GOPATH layout: the import path is the directory below /go/src.
  if (dir.startsWith('/go/src/')) return binaryNameOfImportPath(dir.slice('/go/src/'.length));
  // The module root without a module path (no go.mod given): the name is not knowable.
  if (dir === root) return undefined;
  return binaryNameOfImportPath(dir);
}

function withExe(name: string, env: Env): string {
  return env.get('GOOS') === 'windows' ? name + '.exe' : name;
}

/** The GOPATH the go command uses: `$GOPATH`'s first entry, else `$HOME/go`. */
function gopath(env: Env): string | undefined {
  const value = env.get('GOPATH');
  if (value === null) return undefined;
  if (value === undefined || value === '') return '/root/go';
  return value.split(':')[0];
}

/** Works out what an invocation writes. Only `build` and `install` write binaries. */
export function goOutputs(invocation: GoInvocation, module: ModuleInfo): GoOutput {
  const { subcommand, env, cwd, packages } = invocation;
  if (subcommand === 'build') {
    const o = flagValue(invocation, 'o');
    const oFlag = invocation.flags.find((f) => f.name === 'o');
    const several = packages.length > 1 && !packages.every((p) => p.text.endsWith('.go'));
    const pattern = packages.some((p) => isPattern(p.text));
    const names = (): string[] | undefined => {
      const list = packages.length === 0 ? [undefined] : packages;
      const result: string[] = [];
      for (const p of list) {
        const name = packageBinaryName(p, cwd, module);
        if (name === undefined) return undefined;
        result.push(withExe(name, env));
      }
      return result;
    };
    if (typeof o === 'string') {
      if (o === '/dev/null') return { kind: 'none' };
      if (oFlag?.dynamic) {
        const dir = o.slice(0, o.lastIndexOf('/') + 1);
        if (dir === '' || dir.includes('$')) return { kind: 'unknown' };
        if (!isAbsolute(dir) && cwd === undefined) return { kind: 'unknown' };
        return { kind: 'dir', path: resolve(cwd ?? '/', dir) };
      }
      if (!isAbsolute(o) && cwd === undefined) return { kind: 'unknown' };
      const target = resolve(cwd ?? '/', o);
      // cmd/go writes several packages only into a directory; with one argument (even a
      // pattern such as ./... that matches one main package) `-o name` is the file.
      if (o.endsWith('/') || several) {
        return { kind: 'dir', path: target, names: pattern ? undefined : names() };
      }
      return { kind: 'file', path: target, name: basename(target) };
    }
    if (several || pattern) return { kind: 'none' };
    if (cwd === undefined) return { kind: 'unknown' };
    const name = names()?.[0];
    if (name === undefined) return { kind: 'dir', path: cwd };
    return { kind: 'file', path: join(cwd, name), name };
  }
  if (subcommand === 'install') {
    const gobin = env.get('GOBIN');
    let dir: string | undefined;
    if (gobin === null) dir = undefined;
    else if (gobin) dir = gobin;
    else {
      const root = gopath(env);
      dir = root === undefined ? undefined : root + '/bin';
    }
    if (dir === undefined || !isAbsolute(dir)) return { kind: 'unknown' };
    dir = normalize(dir);
    // Cross-compiled installs go to $GOPATH/bin/$GOOS_$GOARCH; the names are then uncertain.
    if (env.has('GOOS') || env.has('GOARCH') || invocation.viaXx) return { kind: 'dir', path: dir };
    const list = packages.length === 0 ? [undefined] : packages;
    const names: string[] = [];
    for (const p of list) {
      const name = packageBinaryName(p, cwd, module);
      if (name === undefined || (p && isPattern(p.text))) return { kind: 'dir', path: dir };
      names.push(name);
    }
    if (names.length === 1) {
      return { kind: 'file', path: join(dir, names[0]), name: names[0] };
    }
    return { kind: 'dir', path: dir, names };
  }
  return { kind: 'none' };
}

/** The command installs or builds a program from elsewhere (`go install example.com/x@v1`). */
export function buildsRemotePackage(invocation: GoInvocation): boolean {
  return invocation.packages.some((p) => {
    const text = p.text;
    return (
      !text.startsWith('.') && !text.startsWith('/') && (text.includes('@') || text.includes('.'))
    );
  });
}

export type CgoState = 'on' | 'off' | 'unknown';

/**
 * True when the link flags ask for a fully static binary (`-extldflags "-static"`), written on
 * the command or in a variable it reads (`-ldflags "$GO_LDFLAGS"` after `ENV GO_LDFLAGS=…`).
 */
export function linksStatically(invocation: GoInvocation): boolean {
  const sources: string[] = [];
  const ldflags = flagValue(invocation, 'ldflags');
  if (typeof ldflags === 'string') sources.push(expand(ldflags, invocation.env).value);
  const goflags = invocation.env.get('GOFLAGS');
  if (typeof goflags === 'string') sources.push(goflags);
  return sources.some((s) => s.includes('extldflags') && s.includes('-static'));
}
