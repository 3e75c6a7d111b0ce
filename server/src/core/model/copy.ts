/** COPY and ADD instructions in the model: their sources, destination, and the files they bring. */
import type { Instruction } from 'dockerfile-ast';
import { expand, type Scope } from './variables';
import type { GoBinary } from './filesystem';
import {
  execForm,
  heredocsOf,
  instructionArguments,
  logicalArguments,
  type HeredocText,
} from './instruction-text';
import { flagsOf, keywordOf } from './instruction-view';
import { resolveFrom } from './stage-references';
import type { ContextIndex } from './context-index';
import type { CopyInfo, CopySource, DockerfileModel, Located, Stage } from './types';
import { hasGlob, matchSegment } from '../text/glob';
import { basename, dirname, isAbsolute, join, contextRelative, resolve } from '../text/posix-path';
import type { Range } from '../types';

export function addCopy(
  model: DockerfileModel,
  stage: Stage,
  instruction: Instruction,
  scope: Scope,
) {
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
  const { words, jsonForm } = copyWords(model, instruction, heredocs);
  if (words.length === 0) {
    stage.copies.push(copy);
    return;
  }
  const destWord = words[words.length - 1];
  const sourceWords = words.slice(0, -1);
  copy.destination = destinationOf(stage, destWord, sourceWords.length, scope);
  const { path: destPath, directory } = copy.destination;
  for (const word of sourceWords) {
    const expanded = expand(word.text, scope);
    const remote = keyword === 'ADD' ? remoteKind(expanded.value) : undefined;
    copy.sources.push({
      text: expanded.value,
      raw: word.text,
      range: word.range,
      json: jsonForm,
      ...(remote ? { remote } : {}),
    });
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

/**
 * What an ADD source fetches from elsewhere, as BuildKit tells: a git repository (`git://`,
 * `ssh://`, `user@host:path`, or an http(s) address whose path ends in `.git`, with an optional
 * `#ref`), else a file at a URL (`https://…`). Undefined for a build context path.
 */
function remoteKind(source: string): 'url' | 'git' | undefined {
  if (/^[\w.-]+@[\w.-]+:/.test(source)) return 'git';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(source)?.[1].toLowerCase();
  if (scheme === undefined) return undefined;
  if (scheme === 'git' || scheme === 'ssh') return 'git';
  return urlPath(source).endsWith('.git') ? 'git' : 'url';
}

/** The path of a URL, without its host, query or fragment (`https://h/a/b?x#y` → `/a/b`). */
function urlPath(url: string): string {
  const rest = url.slice(url.indexOf('://') + 3).replace(/[?#].*$/s, '');
  const slash = rest.indexOf('/');
  return slash < 0 ? '' : rest.slice(slash);
}

/**
 * The name an ADD gives the file it fetches from a URL inside a directory destination: the last
 * segment of the URL's path (`https://h/cfg/app.yaml?raw=1` → `app.yaml`), or `''` when the path
 * has none and the server names it.
 */
export function urlFileName(source: CopySource): string {
  return basename(urlPath(source.text));
}

/** The words of a COPY: JSON form, or plain arguments (for heredocs, only the first line's). */
function copyWords(
  model: DockerfileModel,
  instruction: Instruction,
  heredocs: HeredocText[],
): { words: Located[]; jsonForm: boolean } {
  const logical = logicalArguments(instruction, model.index, model.escapeChar);
  const json = execForm(logical?.text);
  const jsonStrings =
    (
      instruction as unknown as { getJSONStrings?: () => { getRange(): Range }[] }
    ).getJSONStrings?.() ?? [];
  const jsonForm = json !== undefined && jsonStrings.length === json.length;
  if (json && jsonForm) {
    return { words: jsonStrings.map((s, i) => ({ text: json[i], range: s.getRange() })), jsonForm };
  }
  const args = instructionArguments(instruction);
  const firstLine = args[0]?.getRange().start.line;
  const bodyStart = heredocs[0]?.range.start.line;
  const words = args
    .filter(
      (a) =>
        bodyStart === undefined ||
        a.getRange().start.line < bodyStart ||
        a.getRange().start.line === firstLine,
    )
    .map((a) => ({ text: a.getValue(), range: a.getRange() }));
  return { words, jsonForm };
}

/** Whether the stage already has a directory at `path` (WORKDIR, mkdir, an earlier COPY into it). */
function isExistingDirectory(stage: Stage, path: string): boolean {
  const found = stage.fs.lookup(path);
  return found.presence === 'yes' && (found.entry?.kind === 'tree' || found.entry?.path !== path);
}

/** Where a COPY writes, and whether that is a directory that receives the sources. */
function destinationOf(
  stage: Stage,
  destWord: Located,
  sourceCount: number,
  scope: Scope,
): NonNullable<CopyInfo['destination']> & { directory: boolean } {
  const destExpanded = expand(destWord.text, scope);
  let destPath: string | undefined;
  if (destExpanded.complete) {
    if (isAbsolute(destExpanded.value)) destPath = resolve('/', destExpanded.value);
    else if (stage.workdirAtEnd !== undefined)
      destPath = resolve(stage.workdirAtEnd, destExpanded.value);
  }
  // A destination that already is a directory (WORKDIR, mkdir, an earlier COPY into it) receives
  // the sources inside it, with or without a trailing slash. (Looked up last: the lookup reads
  // everything the stage wrote before, and most destinations say they are a directory.)
  const directory =
    destExpanded.value.endsWith('/') ||
    sourceCount > 1 ||
    destExpanded.value === '.' ||
    (destPath !== undefined && isExistingDirectory(stage, destPath));
  return { raw: destWord.text, path: destPath, range: destWord.range, directory };
}

/** A source of a COPY and where it lands. */
interface Placement {
  model: DockerfileModel;
  stage: Stage;
  instruction: Instruction;
  source: CopySource;
  destPath: string;
  /** Where a file lands: into the destination directory, or onto the destination. */
  fileTarget: string;
  /** The source relative to the context root. */
  relative: string;
  wholeContext: boolean;
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
  if (source.remote) {
    addRemote(stage, copy, source, destPath, directory);
    return;
  }
  // Docker copies a directory's contents into the destination, and a file into it (when the
  // destination is a directory) or onto it.
  const fileTarget = directory ? join(destPath, basename(source.text)) : destPath;
  const relative = contextRelative(source.text);
  const wholeContext = relative === '';
  if (target === undefined && stage.module.root === undefined) {
    // Where go.mod lands is the module root (`COPY . .`, `COPY go.mod go.sum ./`, `COPY go.* ./`).
    if (wholeContext) stage.module.root = destPath;
    else if (!relative.includes('/') && matchSegment(relative, 'go.mod')) {
      stage.module.root = directory || hasGlob(relative) ? destPath : dirname(destPath);
    }
  }
  const at: Placement = {
    model,
    stage,
    instruction,
    source,
    destPath,
    fileTarget,
    relative,
    wholeContext,
  };
  if (source.text.includes('$')) {
    stage.fs.add({ path: destPath, kind: 'tree', origin: 'copy', instruction });
  } else if (
    hasGlob(source.text) &&
    target === undefined &&
    model.context &&
    !relative.includes('**')
  ) {
    copyMatches(at, model.context);
  } else if (hasGlob(source.text)) {
    copyGlob(at, target !== undefined);
  } else if (target?.kind === 'stage') {
    copyFromStage(at, target.stage);
  } else if (target !== undefined) {
    stage.fs.add({ path: destPath, kind: 'tree', origin: 'copy', instruction });
  } else {
    copyFromContext(at);
  }
}

/**
 * An ADD from elsewhere: a git repository checks its files out into the destination (sources,
 * as `git clone` writes them); a URL's file lands inside a directory destination under the last
 * segment of the URL's path, or onto the destination.
 */
function addRemote(
  stage: Stage,
  copy: CopyInfo,
  source: CopySource,
  destPath: string,
  directory: boolean,
) {
  const { instruction } = copy;
  if (source.remote === 'git') {
    stage.fs.add({ path: destPath, kind: 'tree', origin: 'copy', cloned: true, instruction });
    return;
  }
  const name = urlFileName(source);
  if (directory && name === '') {
    // Named by the server (Content-Disposition): somewhere in the directory.
    stage.fs.add({ path: destPath, kind: 'tree', origin: 'copy', instruction });
    return;
  }
  stage.fs.add({
    path: directory ? join(destPath, name) : destPath,
    kind: 'file',
    origin: 'copy',
    instruction,
  });
}

/**
 * With the context known, a glob copies what it matches: files into the destination directory,
 * directories by their contents.
 */
function copyMatches(at: Placement, context: ContextIndex): void {
  const { stage, instruction, destPath, relative } = at;
  const matched = context.matchGlob(relative);
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
      contents: context.filesBelow(dir),
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
}

/** A glob from the context copies matching files (by name) into the destination directory. */
function copyGlob(at: Placement, fromElsewhere: boolean): void {
  const { stage, instruction, destPath, source } = at;
  const glob = basename(source.text);
  const simple =
    !fromElsewhere && !source.text.replace(/^\.?\//, '').includes('/') && !glob.includes('**');
  stage.fs.add({
    path: destPath,
    kind: 'tree',
    origin: 'copy',
    pattern: simple ? glob : undefined,
    instruction,
  });
}

/** From an earlier stage: a file (maybe a Go binary) or a directory with the binaries in it. */
function copyFromStage(at: Placement, from: Stage): void {
  const { stage, instruction, destPath, source, fileTarget } = at;
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
}

function copyFromContext(at: Placement): void {
  const { model, stage, instruction, destPath, fileTarget, relative, wholeContext } = at;
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
