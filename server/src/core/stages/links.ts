/**
 * Document links between the Dockerfile and the code: a package argument of `go build` /
 * `go install` to its main file, a COPY source to the context file, an `-ldflags -X` symbol to the
 * variable's declaration, and within the Dockerfile a build's `-o` path to the `COPY --from` that
 * carries the binary, and the exec-form ENTRYPOINT/CMD program to the COPY that put it there.
 * Targets in the context are context-relative paths; the editor side turns them into URIs.
 */
import { locateCommand } from '../model/command-words';
import { scanGoFile } from '../model/go-source';
import { linkerStamps } from '../model/ldflags';
import { copiedGoMod, type DockerfileModel, type GoCall, type Stage } from '../model/model';
import { startProgram } from '../facts/start';
import { isWithin, normalize, resolve } from '../text/posix-path';
import type { Range } from '../types';

export interface Link {
  range: Range;
  /** A file of the build context (relative path), or a line of this Dockerfile. */
  target: { contextPath: string; line?: number } | { documentLine: number };
  tooltip: string;
}

/** At most this many Go files are read to find the variables `-X` names. */
const MAX_SOURCE_READS = 50;

/** The stage's module root (where go.mod was copied) and the context folder it came from. */
function moduleFolders(stage: Stage): { image: string; context: string } | undefined {
  const root = stage.module.root;
  const copied = root === undefined ? undefined : copiedGoMod(stage, root);
  return root === undefined || !copied ? undefined : { image: root, context: copied.context };
}

/** The context folder of an image folder inside the module, when it is one. */
function contextFolder(stage: Stage, imageDir: string): string | undefined {
  const module = moduleFolders(stage);
  if (!module || !isWithin(imageDir, module.image)) return undefined;
  const below = imageDir === module.image ? '' : imageDir.slice(module.image.length + 1);
  return below === ''
    ? module.context
    : module.context === ''
      ? below
      : `${module.context}/${below}`;
}

/** The Go files of a context folder (not tests), main.go first. */
function goFilesIn(model: DockerfileModel, folder: string): string[] {
  const prefix = folder === '' ? '' : folder + '/';
  const files = [...(model.context?.files ?? [])].filter(
    (f) =>
      f.startsWith(prefix) &&
      !f.slice(prefix.length).includes('/') &&
      f.endsWith('.go') &&
      !f.endsWith('_test.go'),
  );
  return files.sort(
    (a, b) =>
      Number(!a.endsWith('/main.go') && a !== 'main.go') -
        Number(!b.endsWith('/main.go') && b !== 'main.go') || a.localeCompare(b),
  );
}

function packageFolder(stage: Stage, call: GoCall, pkg: string): string | undefined {
  const cwd = call.invocation.cwd ?? stage.workdirAtEnd;
  if (cwd === undefined || !pkg.startsWith('.') || pkg.includes('...')) return undefined;
  return contextFolder(stage, normalize(resolve(cwd, pkg)));
}

function packageLinks(model: DockerfileModel, stage: Stage, call: GoCall, links: Link[]): void {
  const located = locateCommand(model, call.run, call.commandIndex);
  if (!located) return;
  for (const word of located.words.slice(located.firstWord)) {
    if (!call.invocation.packages.some((p) => p.text === word.text)) continue;
    const folder = packageFolder(stage, call, word.text);
    const file = folder === undefined ? undefined : goFilesIn(model, folder)[0];
    if (!file) continue;
    links.push({
      range: model.index.rangeOf(word.start, word.end),
      target: { contextPath: file },
      tooltip: `Open the package ${word.text} (${file})`,
    });
  }
}

/** `-X pkg.name=value`: to the line declaring `name` in the package's sources. */
function stampLinks(model: DockerfileModel, stage: Stage, call: GoCall, links: Link[]): void {
  const located = locateCommand(model, call.run, call.commandIndex);
  const read = model.context?.read;
  if (!located || !read) return;
  const modulePath = model.goMod?.module;
  let reads = 0;
  for (const word of located.words) {
    if (!word.text.includes('.') || !word.text.includes('=')) continue;
    const raw = model.text.slice(word.start, word.end);
    for (const stamp of linkerStamps(word.text)) {
      let folder: string | undefined;
      if (stamp.importPath === 'main') {
        const pkg = call.invocation.packages[0]?.text ?? '.';
        folder = packageFolder(stage, call, pkg);
      } else if (
        modulePath &&
        (stamp.importPath === modulePath || stamp.importPath.startsWith(modulePath + '/'))
      ) {
        const module = moduleFolders(stage);
        const below = stamp.importPath.slice(modulePath.length + 1);
        if (module)
          folder =
            below === ''
              ? module.context
              : module.context === ''
                ? below
                : `${module.context}/${below}`;
      }
      if (folder === undefined) continue;
      const at = raw.indexOf(stamp.symbol);
      if (at < 0) continue;
      for (const file of goFilesIn(model, folder)) {
        if (reads++ >= MAX_SOURCE_READS) return;
        const text = read(file);
        const declaration =
          text === undefined ? undefined : scanGoFile(text).declarations.get(stamp.name);
        if (!declaration) continue;
        links.push({
          range: model.index.rangeOf(word.start + at, word.start + at + stamp.symbol.length),
          target: { contextPath: file, line: declaration.line },
          tooltip: `Go to ${declaration.kind} ${stamp.name} (${file}:${declaration.line + 1})`,
        });
        break;
      }
    }
  }
}

/** `-o path`: to the first `COPY --from=<this stage>` that carries the binary. */
function outputLinks(model: DockerfileModel, stage: Stage, call: GoCall, links: Link[]): void {
  if (call.output.kind !== 'file') return;
  const built = call.output.path;
  const located = locateCommand(model, call.run, call.commandIndex);
  const flag = located?.words.findIndex((w) => w.text === '-o' || w.text === '--o');
  const word = flag !== undefined && flag >= 0 ? located?.words[flag + 1] : undefined;
  if (!word) return;
  for (const later of model.stages) {
    for (const copy of later.copies) {
      if (copy.from?.target.kind !== 'stage' || copy.from.target.stage !== stage) continue;
      if (!copy.sources.some((s) => s.text === built || isWithin(built, normalize(s.text))))
        continue;
      const line = copy.instruction.getRange().start.line;
      links.push({
        range: model.index.rangeOf(word.start, word.end),
        target: { documentLine: line },
        tooltip: `Go to the COPY --from that carries ${built} (line ${line + 1})`,
      });
      return;
    }
  }
}

/** COPY sources from the build context: to the file. */
function copyLinks(model: DockerfileModel, stage: Stage, links: Link[]): void {
  const files = model.context?.files;
  if (!files) return;
  for (const copy of stage.copies) {
    if (copy.from || copy.heredoc) continue;
    for (const source of copy.sources) {
      const path = normalize(source.text).replace(/^\.?\//, '');
      if (path === '' || path === '.' || !model.context!.files.has(path)) continue;
      links.push({ range: source.range, target: { contextPath: path }, tooltip: `Open ${path}` });
    }
  }
}

/** An exec-form ENTRYPOINT/CMD program: to the COPY that put it in the image. */
function startLinks(stage: Stage, links: Link[]): void {
  const start = startProgram(stage);
  const program = start?.argv[0];
  if (!start?.exec || !program?.range || !program.text.startsWith('/')) return;
  const entry = stage.fs.lookup(program.text).entry;
  if (!entry || entry.origin !== 'copy') return;
  const line = entry.instruction.getRange().start.line;
  links.push({
    range: program.range,
    target: { documentLine: line },
    tooltip: `Go to the COPY that puts ${program.text} in the image (line ${line + 1})`,
  });
}

/** The links of a Dockerfile, in document order. */
export function documentLinks(model: DockerfileModel): Link[] {
  const links: Link[] = [];
  for (const stage of model.stages) {
    for (const call of stage.goCalls) {
      if (call.invocation.subcommand !== 'build' && call.invocation.subcommand !== 'install')
        continue;
      packageLinks(model, stage, call, links);
      stampLinks(model, stage, call, links);
      outputLinks(model, stage, call, links);
    }
    copyLinks(model, stage, links);
    startLinks(stage, links);
  }
  return links.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}
