// Catches a build that needs a module file or a package the build context does not send: a COPY
// or ADD of a missing or .dockerignore'd go.mod/go.sum/go.work, a go build of a package it lacks.
import {
  goCommandLine,
  goCommandRange,
  goCommands,
  locateGo,
  type GoCommand,
} from '../facts/go-commands';
import { contextGoMod, fromContext, isWholeContext, usesVendor } from '../facts/module-sources';
import type { ContextIndex, CopyInfo, CopySource, DockerfileModel, Stage } from '../model/model';
import {
  basename,
  dirname,
  isWithin,
  normalize,
  resolve,
  contextRelative,
} from '../text/posix-path';
import type { Fix } from '../types';
import { shortText, type Report, type Rule } from './rule';
import { zeroBasedLine } from '../text/line-index';
import { removeSpan } from '../edits/fixer';

const MODULE_FILES = new Set(['go.mod', 'go.sum', 'go.work', 'go.work.sum']);

/**
 * A COPY source as a plain context path (`./go.sum` → `go.sum`), or undefined for a pattern or
 * what an ADD fetches from elsewhere.
 */
function plainPath(source: CopySource): string | undefined {
  if (source.remote || /[*?[\]$]/.test(source.text)) return undefined;
  return contextRelative(source.text);
}

/** Why a context path is not sent: excluded by .dockerignore, or not there. */
function absence(context: ContextIndex, path: string): string {
  return context.ignored?.(path)
    ? `${context.ignoreFile} excludes ${path}`
    : 'the build context has none';
}

/** Removes one source of a COPY (shell form only): from the blank before it to its end. */
function removeSourceFix(
  model: DockerfileModel,
  copy: CopyInfo,
  source: CopySource,
): Fix | undefined {
  if (source.json || copy.sources.length < 2) return undefined;
  const index = copy.sources.indexOf(source);
  const start =
    index > 0
      ? model.index.offsetAt(copy.sources[index - 1].range.end)
      : model.index.offsetAt(source.range.start);
  const end =
    index > 0
      ? model.index.offsetAt(source.range.end)
      : model.index.offsetAt(copy.sources[1].range.start);
  return {
    title: `Copy without ${basename(source.text)}`,
    kind: 'quickfix',
    isPreferred: true,
    // COPY of a missing file fails the build: without it the image is what the build meant.
    safe: true,
    edits: [removeSpan(model, start, end)],
  };
}

/** Part 1: COPY or ADD of a module file the context does not send; returns the names reported. */
function checkCopies(
  model: DockerfileModel,
  context: ContextIndex,
  report: Report<MessageId>,
): Set<string> {
  const names = new Set<string>();
  for (const stage of model.stages) {
    for (const copy of stage.copies) {
      if (!fromContext(copy)) continue;
      for (const source of copy.sources) {
        const path = plainPath(source);
        if (path === undefined || !MODULE_FILES.has(basename(path))) continue;
        if (context.files.has(path) || context.isDirectory(path)) continue;
        const excluded = context.ignored?.(path) === true;
        const name = basename(path);
        const sum = name === 'go.sum' || name === 'go.work.sum';
        const after =
          sum && !excluded
            ? ' A module without requirements has no go.sum: copy go.mod alone.'
            : excluded
              ? ` Remove ${name} from ${context.ignoreFile}.`
              : '';
        const fix = sum && !excluded ? removeSourceFix(model, copy, source) : undefined;
        names.add(name);
        report({
          range: source.range,
          messageId: excluded ? 'copyExcluded' : 'copyMissing',
          data: { keyword: copy.keyword, path: shortText(path), ignoreFile: context.ignoreFile },
          ...(after !== '' ? { detail: after.trim() } : {}),
          fixes: fix ? [fix] : [],
        });
      }
    }
  }
  return names;
}

/** The context directory a stage's image directory came from, through a COPY of a tree. */
function contextDirOf(
  stage: Stage,
  dir: string,
  before: number,
): { contextDir: string } | undefined {
  const entries = stage.fs.entries;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (zeroBasedLine(entry.instruction) >= before) continue;
    if (!isWithin(dir, entry.path)) continue;
    // Something else (a RUN, a go generate, a git clone) may have written the directory.
    if (entry.origin !== 'copy' || entry.contextPath === undefined) {
      if (entry.origin === 'workdir' || entry.origin === 'mkdir') continue;
      return undefined;
    }
    if (entry.kind !== 'tree' || !entry.contents) return undefined;
    const relative = entry.path === '/' ? dir.slice(1) : dir.slice(entry.path.length + 1);
    const contextDir =
      entry.contextPath === ''
        ? relative
        : relative === ''
          ? entry.contextPath
          : `${entry.contextPath}/${relative}`;
    return { contextDir };
  }
  return undefined;
}

/** Part 2: a go build or install of a package directory the context does not send. */
function checkPackages(model: DockerfileModel, context: ContextIndex, report: Report<MessageId>) {
  for (const stage of model.stages) {
    for (const command of goCommands(stage)) {
      const { invocation } = command;
      if (invocation.subcommand !== 'build' && invocation.subcommand !== 'install') continue;
      const cwd = invocation.cwd;
      if (cwd === undefined) continue;
      for (const word of invocation.packages) {
        const text = word.text.replace(/\/\.\.\.$/, '');
        // A glob the shell expands (`./cmd/app/*`) names the files it matches, not a directory.
        if (
          word.dynamic ||
          word.glob ||
          text.endsWith('.go') ||
          !(text.startsWith('./') || text.startsWith('../'))
        )
          continue;
        const dir = resolve(cwd, text);
        const found = contextDirOf(stage, dir, zeroBasedLine(command.run.instruction) + 1);
        if (!found || found.contextDir === '' || found.contextDir.startsWith('..')) continue;
        if (context.isDirectory(found.contextDir)) continue;
        const at = locateGo(model, command);
        const located = at?.located.words[at.go + 2 + invocation.args.indexOf(word)];
        report({
          range: located
            ? model.index.rangeOf(located.start, located.end)
            : goCommandRange(model, command, at),
          messageId: context.ignored?.(found.contextDir) ? 'dirExcluded' : 'dirMissing',
          data: {
            subcommand: invocation.subcommand,
            argument: word.text,
            dir: found.contextDir,
            ignoreFile: context.ignoreFile,
          },
        });
      }
    }
  }
}

/** Part 3: the whole context copied, and .dockerignore drops the go.mod or go.sum a build needs. */
function checkIgnoredModuleFiles(
  model: DockerfileModel,
  context: ContextIndex,
  report: Report<MessageId>,
  reported: Set<string>,
) {
  if (!context.ignored) return;
  const goMod = context.ignored('go.mod') && !context.files.has('go.mod');
  const goSum =
    !goMod &&
    context.ignored('go.sum') &&
    !context.files.has('go.sum') &&
    (contextGoMod(model, 'go.mod')?.requires.length ?? 0) > 0;
  if (!goMod && !goSum) return;
  const name = goMod ? 'go.mod' : 'go.sum';
  // A COPY that names the file is reported as such.
  if (reported.has(name)) return;
  for (const stage of model.stages) {
    for (const copy of stage.copies) {
      const destination = copy.destination?.path;
      if (!fromContext(copy) || destination === undefined || !copy.sources.some(isWholeContext))
        continue;
      const command = goCommands(stage).find(
        (c) =>
          zeroBasedLine(c.run.instruction) > zeroBasedLine(copy.instruction) &&
          needsModule(c) &&
          c.invocation.cwd !== undefined &&
          isWithin(c.invocation.cwd, destination),
      );
      if (!command) continue;
      const line = goCommandLine(model, command);
      report({
        range: copy.instruction.getRange(),
        messageId: 'goFileExcluded',
        data: {
          name,
          subcommand: command.invocation.subcommand,
          line,
          ignoreFile: context.ignoreFile,
        },
        detail:
          `${context.ignoreFile} excludes ${name}, so this ${copy.keyword} does not bring it and the go ` +
          `${command.invocation.subcommand} on line ${line} fails` +
          (goMod ? ' (go.mod file not found).' : ' (missing go.sum entry).') +
          ` Remove ${name} from ${context.ignoreFile}.`,
      });
    }
  }
}

/**
 * Part 4: a go.mod copied from the context whose `replace … => ../dir` points outside the
 * context (or to a directory it does not send): the module download or build fails.
 */
function checkReplacements(
  model: DockerfileModel,
  context: ContextIndex,
  report: Report<MessageId>,
) {
  if (!context.read) return;
  const reported = new Set<string>();
  for (const stage of model.stages) {
    for (const copy of stage.copies) {
      if (!fromContext(copy)) continue;
      const goMods = copy.sources.flatMap((source) =>
        isWholeContext(source)
          ? ['go.mod']
          : plainPath(source) !== undefined && basename(plainPath(source)!) === 'go.mod'
            ? [plainPath(source)!]
            : [],
      );
      for (const goModPath of goMods) {
        if (reported.has(goModPath) || !context.files.has(goModPath)) continue;
        // A vendored build reads vendor/, never the replaced folder (Go 1.14 and later).
        const later = goCommands(stage).some(
          (c) =>
            zeroBasedLine(c.run.instruction) > zeroBasedLine(copy.instruction) &&
            needsModule(c) &&
            !usesVendor(model, c),
        );
        if (!later) continue;
        const goMod = contextGoMod(model, goModPath);
        if (goMod === undefined) continue;
        const moduleDir = dirname(goModPath) === '.' ? '' : dirname(goModPath);
        for (const { target } of goMod.replaces.filter((r) => r.local)) {
          if (target.startsWith('/')) continue;
          const resolved = normalize(moduleDir === '' ? target : `${moduleDir}/${target}`);
          const outside = resolved === '..' || resolved.startsWith('../');
          // `test/go.mod` replacing with `../` names the context's root, which is always there.
          const root = resolved === '.' || resolved === '';
          if (
            !outside &&
            (root || context.isDirectory(resolved) || context.files.has(`${resolved}/go.mod`))
          ) {
            continue;
          }
          reported.add(goModPath);
          report({
            range: copy.instruction.getRange(),
            messageId: 'replaceUnreachable',
            data: { goMod: shortText(goModPath), target: shortText(target, 30) },
            detail:
              `${goModPath} replaces a module with ${target}, ` +
              (outside
                ? 'outside the build context, which the build cannot reach'
                : `but ${absence(context, resolved)}`) +
              ': go mod download and go build fail. Build from a context that holds both ' +
              '(docker build -f … at the common folder) or drop the replace in the image.',
          });
          break;
        }
      }
    }
  }
}

/** A go command that reads the module of its directory (not `go install pkg@version`). */
function needsModule(command: GoCommand): boolean {
  const { invocation } = command;
  if (invocation.env.get('GO111MODULE') === 'off') return false;
  if (invocation.subcommand === 'mod') return true;
  if (!['build', 'install', 'run', 'test', 'vet', 'generate'].includes(invocation.subcommand))
    return false;
  return !invocation.packages.some((p) => p.text.includes('@'));
}

type MessageId =
  | 'copyExcluded'
  | 'copyMissing'
  | 'dirExcluded'
  | 'dirMissing'
  | 'goFileExcluded'
  | 'replaceUnreachable';

export const goModuleFileNotInContext: Rule<MessageId> = {
  meta: {
    id: 'go-module-file-not-in-context',
    description:
      'A COPY, ADD or go build needs a go.mod, go.sum, go.work or package directory that the build context does not send.',
    defaultSeverity: 'error',
    fixable: true,
    messages: {
      copyExcluded: '{{keyword}} {{path}} fails the build: {{ignoreFile}} excludes it.',
      copyMissing: '{{keyword}} {{path}} fails the build: the build context has no such file.',
      dirExcluded: 'go {{subcommand}} {{argument}} fails: {{ignoreFile}} excludes {{dir}}/.',
      dirMissing: 'go {{subcommand}} {{argument}} fails: the build context has no {{dir}}/.',
      goFileExcluded:
        '{{ignoreFile}} excludes {{name}}, so the go {{subcommand}} on line {{line}} fails.',
      replaceUnreachable:
        '{{goMod}} replaces a module with {{target}}, which the build cannot reach.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const context = model.context;
    // Only a known context tells what is sent.
    if (!context) return;
    const reported = checkCopies(model, context, report);
    checkPackages(model, context, report);
    checkIgnoredModuleFiles(model, context, report, reported);
    checkReplacements(model, context, report);
  },
};
