// Catches `-ldflags "-X pkg.name=value"` that sets nothing: a variable the package does not have,
// a constant, a variable set by a call, or a main package named by its path. Go says nothing.
import {
  effectiveFlag,
  flagArgIndices,
  goCommandRange,
  goCommands,
  locateGo,
  type GoCommand,
} from '../facts/go-commands';
import type { GoDeclaration } from '../model/go-declarations';
import { joinedStamp, linkerStamps, type LinkerStamp } from '../model/ldflags';
import { moduleFor, type DockerfileModel, type Stage } from '../model/model';
import {
  isGoFileArgument,
  packageDir,
  programSources,
  type ProgramPackages,
  type ProgramSourceFile,
} from '../facts/program-sources';
import { dirname, isWithin, resolve } from '../text/posix-path';
import { expand } from '../model/variables';
import type { Range } from '../types';
import type { MessageData, Report, Rule } from './rule';

/** Types the linker can never set: it writes a string header, nothing else. */
const NOT_STRING =
  /^(\[|\*|map\b|chan\b|func\b|struct\b|interface\b|bool$|byte$|rune$|error$|any$|u?int\d*$|uintptr$|float\d+$|complex\d+$)/;

/** What a package of the build says about a name. */
interface Lookup {
  files: ProgramSourceFile[];
  packageName?: string;
  declaration?: GoDeclaration;
}

function lookup(files: ProgramSourceFile[], name: string): Lookup {
  let declaration: GoDeclaration | undefined;
  for (const file of files) declaration ??= file.facts.declarations.get(name);
  return { files, packageName: files[0]?.facts.packageName, declaration };
}

/** A package-level variable that -X can set (a string, uninitialised or a literal). */
function settable(declaration: GoDeclaration | undefined): boolean {
  if (declaration?.kind !== 'var') return false;
  if (declaration.type !== undefined && declaration.type !== 'string') return false;
  return !declaration.initCall;
}

/** The files of one package of the build, or undefined when they cannot all be read. */
function packageFiles(
  model: DockerfileModel,
  stage: Stage,
  packages: ProgramPackages,
): ProgramSourceFile[] | undefined {
  const sources = programSources(model, stage, packages);
  if (!sources.complete) return undefined;
  const files =
    packages.kind === 'dirs'
      ? sources.files.filter((f) => packages.dirs.includes(dirname(f.imagePath)))
      : packages.kind === 'files'
        ? sources.files.filter((f) => packages.files.includes(f.imagePath))
        : [];
  return files.length > 0 ? files : undefined;
}

/** The main packages a build links: its package arguments, or undefined when not plain. */
function mainPackages(model: DockerfileModel, command: GoCommand): ProgramPackages | undefined {
  const { invocation } = command;
  const cwd = invocation.cwd;
  if (cwd === undefined) return undefined;
  const args = invocation.packages;
  if (args.some((w) => w.dynamic || w.text.includes('...') || w.text.includes('@'))) {
    return undefined;
  }
  if (args.length === 0) return { kind: 'dirs', dirs: [cwd] };
  if (args.every((w) => isGoFileArgument(w.text))) {
    return {
      kind: 'files',
      files: args.map((w) => resolve(cwd, w.text)),
    };
  }
  if (args.length !== 1) return undefined;
  const dir = packageDir(model, command.stage, args[0].text, cwd);
  return dir === undefined ? undefined : { kind: 'dirs', dirs: [dir] };
}

/** Other packages of the module where `name` is a variable -X can set, as -X spells them. */
function elsewhere(
  model: DockerfileModel,
  command: GoCommand,
  name: string,
  mainDirs: readonly string[],
): string[] {
  const module = moduleFor(model, command.stage, command.invocation.cwd);
  if (module.root === undefined || module.path === undefined) return [];
  const sources = programSources(model, command.stage, { kind: 'tree', dir: module.root });
  const found = new Set<string>();
  for (const file of sources.files) {
    if (!settable(file.facts.declarations.get(name))) continue;
    const dir = dirname(file.imagePath);
    if (file.facts.packageName === 'main') {
      if (mainDirs.includes(dir)) found.add(`main.${name}`);
      continue;
    }
    const relative =
      dir === module.root ? '' : dir.slice(module.root.length + (module.root === '/' ? 0 : 1));
    if (!isWithin(dir, module.root)) continue;
    found.add(`${relative === '' ? module.path : `${module.path}/${relative}`}.${name}`);
  }
  return [...found].sort();
}

/** Where to report: the -ldflags value on the command line, or the go command. */
function ldflagsRange(model: DockerfileModel, command: GoCommand): Range {
  const at = locateGo(model, command);
  const own = flagArgIndices(command.invocation).filter((f) => f.flag.name === 'ldflags');
  const last = own[own.length - 1];
  if (!at || !last) return goCommandRange(model, command, at);
  const words = at.located.words;
  const first = words[at.go + 2 + last.indices[0]];
  const end = words[at.go + 2 + last.indices[last.indices.length - 1]];
  return first && end
    ? model.index.rangeOf(first.start, end.end)
    : goCommandRange(model, command, at);
}

/** Why a stamp sets nothing, or undefined when it does (or cannot be told). */
function problem(
  model: DockerfileModel,
  command: GoCommand,
  stamp: LinkerStamp,
  main: ProgramPackages | undefined,
): { messageId: MessageId; data: MessageData } | undefined {
  const stage = command.stage;
  const mainDirs =
    main?.kind === 'dirs' ? main.dirs : main?.kind === 'files' ? main.files.map(dirname) : [];
  let packages: ProgramPackages | undefined;
  if (stamp.importPath === 'main') packages = main;
  else {
    const cwd = command.invocation.cwd;
    // Only packages of the module (or GOPATH tree) are read; a dependency's are not in the context.
    if (cwd === undefined || stamp.importPath.startsWith('.')) return undefined;
    const dir = packageDir(model, stage, stamp.importPath, cwd);
    if (dir !== undefined) packages = { kind: 'dirs', dirs: [dir] };
  }
  if (!packages) return undefined;
  const files = packageFiles(model, stage, packages);
  if (!files) return undefined;
  const found = lookup(files, stamp.name);
  const data = { symbol: stamp.symbol, name: stamp.name, importPath: stamp.importPath };
  if (stamp.importPath !== 'main' && found.packageName === 'main') {
    return { messageId: 'mainPackage', data };
  }
  const declaration = found.declaration;
  if (!declaration) {
    const others = elsewhere(model, command, stamp.name, mainDirs);
    const where = stamp.importPath === 'main' ? 'the main package' : stamp.importPath;
    const messageId =
      others.length === 1 ? 'declaredAs' : others.length > 1 ? 'declaredIn' : 'notDeclared';
    return { messageId, data: { ...data, where, others: others.join(', ') } };
  }
  if (declaration.kind === 'const') {
    return { messageId: 'constant', data };
  }
  if (declaration.kind !== 'var') {
    const kind = declaration.kind === 'func' ? 'function' : 'type';
    return { messageId: 'notVariable', data: { ...data, kind } };
  }
  if (declaration.type !== undefined && NOT_STRING.test(declaration.type)) {
    return { messageId: 'notString', data: { ...data, type: declaration.type } };
  }
  if (declaration.initCall) {
    return { messageId: 'initCall', data };
  }
  return undefined;
}

type MessageId =
  | 'joined'
  | 'mainPackage'
  | 'notDeclared'
  | 'declaredAs'
  | 'declaredIn'
  | 'constant'
  | 'notVariable'
  | 'notString'
  | 'initCall';

export const goLdflagsXIneffective: Rule<MessageId> = {
  meta: {
    id: 'go-ldflags-x-ineffective',
    description:
      'An -ldflags -X names a variable that the package does not declare as a settable string.',
    defaultSeverity: 'warning',
    fixable: false,
    messages: {
      joined:
        '-X {{symbol}} takes all the rest as its value: {{other}} after the comma is never set. Write one -X per variable (-X {{symbol}}=… -X {{other}}=…).',
      mainPackage:
        '-X {{symbol}} sets nothing: {{importPath}} is a main package, which the linker knows as "main". Write -X main.{{name}}=….',
      notDeclared: '-X {{symbol}} sets nothing: {{where}} declares no {{name}}.',
      declaredAs:
        '-X {{symbol}} sets nothing: {{where}} declares no {{name}}. It is declared as -X {{others}}.',
      declaredIn:
        '-X {{symbol}} sets nothing: {{where}} declares no {{name}}. It is declared in {{others}}.',
      constant:
        '-X {{symbol}} sets nothing: {{name}} is a constant; -X sets only a string variable (var {{name}} string).',
      notVariable: '-X {{symbol}} sets nothing: {{name}} is a {{kind}}, not a string variable.',
      notString:
        '-X {{symbol}} fails the link: {{name}} is a {{type}}, and -X sets only a string variable.',
      initCall:
        '-X {{symbol}} sets nothing: {{name}} is set by a function call when the program starts, which overwrites the stamp.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const stage of model.stages) {
      for (const command of goCommands(stage)) {
        const { invocation } = command;
        if (invocation.subcommand !== 'build' && invocation.subcommand !== 'install') continue;
        const ldflags = effectiveFlag(invocation, 'ldflags');
        if (typeof ldflags !== 'string') continue;
        // Two stamps joined by a comma are wrong whatever the sources say (and whatever the
        // variables the stamps' values use).
        const expanded = expand(ldflags, invocation.env);
        for (const stamp of linkerStamps(expanded.complete ? expanded.value : ldflags)) {
          const other = joinedStamp(stamp);
          if (other === undefined) continue;
          report({
            range: ldflagsRange(model, command),
            messageId: 'joined',
            data: { symbol: stamp.symbol, other },
          });
        }
        // The Go sources are read from the build context; without them there is nothing more.
        // A value left unknown (`-X main.version=${VERSION}` with an ARG without a default, a
        // `$(git describe)`) does not matter: the symbols are what is checked, and a stamp whose
        // symbol holds an unknown part is left out (linkerStamps).
        if (model.context?.read) checkStamps(model, command, expanded.value, report);
      }
    }
  },
};

/**
 * The stamps of a command's `-ldflags` (expanded: `-ldflags "$LDFLAGS"` takes the value an ENV or
 * an ARG's default gives it) that set nothing, read against the Go sources.
 */
function checkStamps(
  model: DockerfileModel,
  command: GoCommand,
  ldflags: string,
  report: Report<MessageId>,
): void {
  const stamps = linkerStamps(ldflags);
  if (stamps.length === 0) return;
  const main = mainPackages(model, command);
  const seen = new Set<string>();
  for (const stamp of stamps) {
    if (seen.has(stamp.symbol)) continue;
    seen.add(stamp.symbol);
    const found = problem(model, command, stamp, main);
    if (found) report({ range: ldflagsRange(model, command), ...found });
  }
}
