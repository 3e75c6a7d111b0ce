/**
 * Source trees of other projects that a stage clones with git (rocksdb, sassc): a build tool run
 * in one builds that project, not the Go program.
 */
import { gitCloneOf } from '../model/git-clone';
import type { RunInfo, Stage } from '../model/model';
import type { SimpleCommand } from '../model/shell';
import { isAbsolute, isWithin, resolve } from '../text/posix-path';

/**
 * The folder name a `git clone` writes (its directory operand, else the repository's name), when
 * the repository is not the project's own module (`ownModule`, from go.mod): another project's
 * tree, which a build tool run in it builds (rocksdb's C++ `make`).
 */
export function clonedForeignTree(
  command: SimpleCommand,
  ownModule: string | undefined,
): string | undefined {
  const clone = gitCloneOf(command);
  if (clone === undefined) return undefined;
  const repository = clone.url
    .replace(/\.git$/, '')
    .replace(/^[a-z+]+:\/\/|^git@/, '')
    .replace(':', '/');
  if (
    ownModule !== undefined &&
    (repository === ownModule || ownModule.startsWith(repository + '/'))
  ) {
    return undefined;
  }
  // Cloned into a GOPATH tree (`/go/src/github.com/containerd/imgcrypt`): a Go project.
  const segments = clone.dir.split('/').filter((part) => part !== '');
  const src = segments.indexOf('src');
  if (
    clone.dirWritten &&
    src >= 0 &&
    segments[src + 1]?.includes('.') &&
    segments.length > src + 2
  ) {
    return undefined;
  }
  return segments[segments.length - 1];
}

/**
 * Whether `dir` lies in the tree of another project that a RUN before `run` (in the stage or
 * one it is built on) cloned: `make -C sassc` or `cd sassc && make` after an earlier `RUN git
 * clone …/sassc.git`.
 */
export function inForeignClone(
  stage: Stage,
  run: RunInfo,
  dir: string | undefined,
  ownModule: string | undefined,
): boolean {
  if (dir === undefined) return false;
  for (let s: Stage | undefined = stage; s; s = s.parent) {
    for (const earlier of s.runs) {
      if (earlier === run) break;
      for (const [i, command] of earlier.commands.entries()) {
        if (clonedForeignTree(command, ownModule) === undefined) continue;
        const clone = gitCloneOf(command)!;
        const cwd = earlier.commandCwds[i];
        const path = isAbsolute(clone.dir) ? clone.dir : cwd && resolve(cwd, clone.dir);
        if (path && isWithin(dir, path)) return true;
      }
    }
  }
  return false;
}
