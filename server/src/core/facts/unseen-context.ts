/**
 * Paths that only the files of an unseen build context could provide: the stage copied the whole
 * context (`COPY . .`) without the analysis knowing what it holds, and nothing else it did could
 * have written the path. Rules that report a missing file say so as a likelihood then, not a
 * certainty: the context may hold a prebuilt file of that name.
 * Computed on each call.
 */
import type { FsEntry } from '../model/filesystem';
import { fromContext, isWholeContext } from './module-sources';
import type { CopyInfo, Stage } from '../model/model';
import { matchSegment } from '../text/glob';
import { basename, dirname, isWithin, resolve } from '../text/posix-path';

/** A whole-context COPY that could hold a path, and the path it would come from there. */
export interface UnseenContextSource {
  copy: CopyInfo;
  /** The path relative to the build context's root (`bin/server`). */
  contextPath: string;
}

/** The COPY of a stage's chain that made an entry, when it is a COPY of the whole context. */
function wholeContextCopy(stage: Stage, entry: FsEntry): CopyInfo | undefined {
  for (let s: Stage | undefined = stage; s; s = s.parent) {
    const copy = s.copies.find((c) => c.instruction === entry.instruction);
    if (!copy) continue;
    const whole =
      fromContext(copy) &&
      copy.sources.length > 0 &&
      copy.sources.every((source) => isWholeContext(source) && !source.text.includes('$'));
    return whole ? copy : undefined;
  }
  return undefined;
}

/**
 * When `path` is not known to exist in the stage and the only writes that could have put it there
 * are COPYs of the whole build context whose files are not known, the latest of them (with the
 * path in the context); otherwise undefined. Entries `ignore` accepts are left out, as for
 * `StageFs.lookup`. A stage that ran something the analysis cannot follow, or a system tool
 * writing below the path, gives undefined.
 */
export function onlyUnseenContextCouldHold(
  stage: Stage,
  path: string,
  ignore?: (entry: FsEntry) => boolean,
): UnseenContextSource | undefined {
  const fs = stage.fs;
  if (fs.opaque) return undefined;
  if (fs.systemWrites.some((prefix) => isWithin(path, prefix))) return undefined;
  let found: UnseenContextSource | undefined;
  for (let i = fs.entries.length - 1; i >= 0; i--) {
    const entry = fs.entries[i];
    if (ignore?.(entry)) continue;
    // Written there, or below it (a directory of that name exists).
    if (entry.path === path || isWithin(entry.path, path)) return undefined;
    if (entry.kind !== 'tree' || !isWithin(path, entry.path)) continue;
    const relative = path.slice(entry.path === '/' ? 1 : entry.path.length + 1);
    if (entry.contents) {
      if (entry.contents.has(relative)) return undefined;
      continue;
    }
    if (entry.goBinaries?.some((b) => b.name === relative)) return undefined;
    if (
      entry.pattern !== undefined &&
      (relative.includes('/') || !matchSegment(entry.pattern, relative))
    ) {
      continue;
    }
    const copy = wholeContextCopy(stage, entry);
    if (!copy) return undefined;
    found ??= { copy, contextPath: relative };
  }
  return found;
}

/**
 * Whether a path is the directory of a local package the go commands of a stage's chain build or
 * run (`go build ./cmd/server` in /app → /app/cmd/server; below /app/cmd for `./cmd/...`), or
 * one the Go layout names so (`cmd/<name>`): a source directory the context holds, not a missing
 * binary of that name.
 */
export function isPackageDirectory(stage: Stage, path: string): boolean {
  if (basename(dirname(path)) === 'cmd') return true;
  for (let s: Stage | undefined = stage; s; s = s.parent) {
    for (const command of s.goCommands) {
      const { cwd, packages } = command.invocation;
      if (cwd === undefined) continue;
      for (const pkg of packages) {
        const text = pkg.text.split('@')[0];
        if (pkg.dynamic || !(text === '.' || text.startsWith('./') || text.startsWith('../'))) {
          continue;
        }
        if (text === './...' || text.endsWith('/...')) {
          if (isWithin(path, resolve(cwd, text.slice(0, -4) || '.'))) return true;
        } else if (resolve(cwd, text) === path) return true;
      }
    }
  }
  return false;
}
