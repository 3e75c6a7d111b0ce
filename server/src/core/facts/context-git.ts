/**
 * The git repository a go command finds from a folder of the build context, looked up the way
 * cmd/go looks for one (the nearest `.git` at or above the folder), and how much of it reaches
 * the build: the parts git needs that `.dockerignore` leaves out, and where a `.git` file (the
 * link a worktree or a submodule has instead of a folder) points. Computed on each call.
 */
import type { ContextIndex } from '../model/context-index';
import { isAbsolute, join, normalize } from '../text/posix-path';

/** A `.git` folder copied with the context. */
export interface GitFolder {
  kind: 'folder';
  /** The context folder that holds it (`''` for the root). */
  dir: string;
  /**
   * What git needs of it that `.dockerignore` excludes (`.git/objects`, ...): with any of them
   * gone, `git status` stops with exit status 128.
   */
  excluded: string[];
}

/** A `.git` file: `gitdir: <path>` names the repository's folder elsewhere. */
export interface GitLink {
  kind: 'link';
  dir: string;
  /** The `gitdir:` path as written, when the file could be read. */
  target?: string;
  /** The target is absolute (the host's), outside the context, or excluded from it. */
  unreachable: boolean;
}

export type ContextGit = GitFolder | GitLink;

// A pack's and a loose object's names, to ask `.dockerignore` about the objects git reads
// (`*.pack`, `.git/objects/pack`, `.git/objects/??` exclude them as much as `.git/objects`).
const PACK = 'objects/pack/pack-0123456789abcdef0123456789abcdef01234567';
const LOOSE = 'objects/4b/825dc642cb6eb9a060e54bf8d69288fbee4904';

/**
 * The parts of a `.git` folder that git cannot do without, measured with git 2.39: without HEAD,
 * refs/ or any of the objects a commit needs, `git status` fails; the index, config, hooks, logs,
 * packed-refs and refs/heads/ can go (git then sees changes, or an unborn branch, and Go stamps
 * what it can).
 */
const NEEDED: readonly { part: string; probes: readonly string[] }[] = [
  { part: 'HEAD', probes: ['HEAD'] },
  { part: 'refs', probes: ['refs'] },
  { part: 'objects', probes: ['objects', `${PACK}.pack`, `${PACK}.idx`, LOOSE] },
];

function excludedParts(context: ContextIndex, gitDir: string): string[] {
  const ignored = context.ignored;
  if (!ignored) return [];
  return NEEDED.filter(({ probes }) => probes.some((p) => ignored(join(gitDir, p)))).map(
    ({ part }) => `${gitDir}/${part}`,
  );
}

/** The `gitdir:` line of a `.git` file and whether the build can follow it. */
function readLink(context: ContextIndex, dir: string): GitLink {
  const path = dir === '' ? '.git' : `${dir}/.git`;
  const text = context.read?.(path);
  const line = text?.split('\n').find((l) => l.startsWith('gitdir:'));
  const target = line?.slice('gitdir:'.length).trim();
  if (!target) return { kind: 'link', dir, unreachable: false };
  // A worktree's link is absolute by default, a submodule's relative (`../.git/modules/x`).
  if (isAbsolute(target)) return { kind: 'link', dir, target, unreachable: true };
  const resolved = normalize(dir === '' ? target : `${dir}/${target}`);
  const outside = resolved === '..' || resolved.startsWith('../');
  const excluded =
    !outside && (context.ignored?.(resolved) === true || context.ignored?.(`${resolved}/HEAD`));
  return { kind: 'link', dir, target, unreachable: outside || excluded === true };
}

/**
 * The `.git` that a go command run in context folder `dir` (`''` for the root) finds, as cmd/go
 * walks up: the nearest `.git` folder, or `.git` file when `links` (Go 1.18 and 1.19 take a file
 * as a repository; from Go 1.20 on only a folder counts, golang/go#53640). Undefined when none
 * is copied with the context.
 */
export function contextGit(
  context: ContextIndex,
  dir: string,
  links: boolean,
): ContextGit | undefined {
  let at = dir === '.' ? '' : dir;
  for (;;) {
    const gitDir = at === '' ? '.git' : `${at}/.git`;
    // The context listing names a `.git` folder by its HEAD alone (types.ts, BuildContext).
    if (context.files.has(`${gitDir}/HEAD`)) {
      return { kind: 'folder', dir: at, excluded: excludedParts(context, gitDir) };
    }
    if (links && context.files.has(gitDir)) return readLink(context, at);
    if (at === '') return undefined;
    const slash = at.lastIndexOf('/');
    at = slash < 0 ? '' : at.slice(0, slash);
  }
}
