/**
 * Completions that read the module and the variables in scope: the declared ARGs and ENVs after
 * `$` or `${` (only those BuildKit lets the instruction see), and the module's main packages
 * (`./cmd/server`) as arguments of `go build` / `go install`, from the build context's Go files.
 */
import type { Instruction } from 'dockerfile-ast';
import { scanGoFile } from '../model/go-source';
import { copiedGoMod, type DockerfileModel, type Stage } from '../model/model';
import { dirname } from '../text/posix-path';
import type { Position, Range } from '../types';
import { variableSites, type VariableDeclaration } from './variable-sites';
import { keywordOf } from '../model/instruction-view';

/** A completion, shaped like an LSP CompletionItem with a text edit. */
export interface GoCompletion {
  label: string;
  kind: 'variable' | 'package';
  detail: string;
  newText: string;
  range: Range;
  sortText: string;
}

/** At most this many directories of the context are read to find main packages. */
export const MAX_PACKAGE_DIRECTORIES = 200;

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/**
 * The variables an instruction can use: in a FROM, the global ARGs; in a stage, the ARGs and
 * ENVs of the stage and of the stages it is built on, declared before the cursor.
 */
function visibleVariables(
  model: DockerfileModel,
  instruction: Instruction,
  stage: Stage | undefined,
  position: Position,
): VariableDeclaration[] {
  const isFrom = keywordOf(instruction) === 'FROM';
  const chain = new Set<Stage>();
  for (let s = isFrom ? undefined : stage; s; s = s.parent) chain.add(s);
  const byName = new Map<string, VariableDeclaration>();
  for (const declaration of variableSites(model).declarations) {
    if (!before(declaration.range.start, position)) continue;
    if (declaration.instruction === instruction) continue;
    const visible = declaration.stage === undefined ? isFrom : chain.has(declaration.stage);
    if (visible) byName.set(declaration.name, declaration);
  }
  return [...byName.values()];
}

/** `$NA|` or `${NA|`: the declared names, replacing what was typed of the name. */
export function variableCompletions(
  model: DockerfileModel,
  instruction: Instruction,
  stage: Stage | undefined,
  position: Position,
): GoCompletion[] {
  const line = model.index.lineText(position.line).slice(0, position.character);
  const typed = /\$(\{?)([A-Za-z_][A-Za-z0-9_]*)?$/.exec(line);
  if (!typed || (typed.index > 0 && line[typed.index - 1] === '\\')) return [];
  const braced = typed[1] === '{';
  const nameStart = position.character - (typed[2]?.length ?? 0);
  const rest = model.index.lineText(position.line).slice(position.character);
  const nameRest = /^[A-Za-z0-9_]*/.exec(rest)?.[0] ?? '';
  const closed = braced && rest.slice(nameRest.length).startsWith('}');
  return visibleVariables(model, instruction, stage, position).map((declaration, i) => ({
    label: declaration.name,
    kind: 'variable',
    detail:
      (declaration.kind === 'arg' ? 'ARG' : 'ENV') +
      (declaration.stage === undefined ? ' (global)' : '') +
      (declaration.value !== undefined ? ` = ${declaration.value}` : ''),
    newText: declaration.name + (braced && !closed ? '}' : ''),
    range: {
      start: { line: position.line, character: nameStart },
      end: { line: position.line, character: position.character + nameRest.length },
    },
    sortText: String(i).padStart(4, '0'),
  }));
}

const VALUE_FLAGS = new Set([
  '-o',
  '-C',
  '-ldflags',
  '-gcflags',
  '-asmflags',
  '-gccgoflags',
  '-tags',
  '-mod',
  '-modfile',
  '-overlay',
  '-p',
  '-pkgdir',
  '-pgo',
  '-buildmode',
  '-compiler',
  '-installsuffix',
  '-toolexec',
  '-covermode',
  '-coverpkg',
]);

/** Where the build context's files land in the stage: the context folder of the go.mod the stage copied. */
function moduleContextDir(stage: Stage): string | undefined {
  const candidates = [stage.module.root, stage.workdirAtEnd].filter(
    (d): d is string => d !== undefined,
  );
  for (const dir of candidates) {
    const copied = copiedGoMod(stage, dir);
    if (copied) return copied.context;
  }
  return undefined;
}

/** Go files of a folder read at most to find its package clause (`//go:build ignore` files skipped). */
const FILES_PER_DIRECTORY = 3;

/** The package of a folder as the go command builds it: from its first file not built-ignored. */
function packageOf(
  read: (path: string) => string | undefined,
  files: string[],
): string | undefined {
  for (const file of files.slice(0, FILES_PER_DIRECTORY)) {
    const text = read(file);
    if (text === undefined) continue;
    const facts = scanGoFile(text);
    if (!facts.ignored && facts.packageName !== undefined) return facts.packageName;
  }
  return undefined;
}

/** The main packages below a context folder, as `./relative/path`, reading few files per folder. */
function mainPackages(model: DockerfileModel, root: string): string[] {
  const context = model.context;
  if (!context?.read) return [];
  const goFiles = new Map<string, string[]>();
  const prefix = root === '' ? '' : root + '/';
  for (const file of context.files) {
    if (!file.startsWith(prefix) || !file.endsWith('.go') || file.endsWith('_test.go')) continue;
    if (context.ignored?.(file)) continue;
    // The go command skips vendor/, testdata/ and folders starting with . or _ in patterns.
    if (/(^|\/)(vendor|testdata)(\/|$)|(^|\/)[._]/.test(file.slice(prefix.length))) continue;
    const dir = dirname(file);
    const list = goFiles.get(dir);
    if (list) list.push(file);
    else goFiles.set(dir, [file]);
  }
  const found: string[] = [];
  const dirs = [...goFiles.keys()].sort().slice(0, MAX_PACKAGE_DIRECTORIES);
  for (const dir of dirs) {
    if (packageOf(context.read, goFiles.get(dir)!.sort()) !== 'main') continue;
    const relative = dir === '.' || dir === root ? '' : dir.slice(prefix.length);
    found.push(relative === '' ? '.' : `./${relative}`);
  }
  return found;
}

/** After `go build` / `go install` (and its flags), a package argument: the module's main packages. */
export function packageCompletions(
  model: DockerfileModel,
  stage: Stage | undefined,
  position: Position,
  word: { text: string; start: number; end: number },
): GoCompletion[] {
  if (!stage || (word.text !== '' && !word.text.startsWith('.'))) return [];
  // The simple command the cursor is in: after the last `;`, `&` or `|` of the line.
  const line = model.index.lineText(position.line).slice(0, word.start);
  let cut = -1;
  for (const separator of [';', '&', '|']) cut = Math.max(cut, line.lastIndexOf(separator));
  const command = line.slice(cut + 1);
  const go = /(?:^|[\s(])(?:xx-)?go\s+(?:build|install)(?=\s)/.exec(command);
  if (!go) return [];
  const previous =
    command
      .slice(go.index + go[0].length)
      .trim()
      .split(/\s+/)
      .pop() ?? '';
  if (VALUE_FLAGS.has(previous.replace(/^--/, '-'))) return [];
  const root = moduleContextDir(stage);
  if (root === undefined) return [];
  return mainPackages(model, root).map((pkg, i) => ({
    label: pkg,
    kind: 'package',
    detail: 'main package',
    newText: pkg,
    range: {
      start: { line: position.line, character: word.start },
      end: { line: position.line, character: word.end },
    },
    sortText: String(i).padStart(4, '0'),
  }));
}
