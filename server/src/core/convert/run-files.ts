/**
 * What RUN commands of the final stage wrote that the runtime must receive, and what they took
 * away (mv, rm): the part of the runtime's files (files.ts) that comes from the stage's commands
 * rather than from the context or the program's sources. Source names are left to the caller.
 */
import type { Stage } from '../model/model';
import { isAbsolute, isWithin, resolve } from '../text/posix-path';
import { Refusal } from './plan';

// Where RUN commands leave what only the build needs: caches, temporary files, package-manager
// state, the toolchain.
const BUILD_ONLY_PATHS = [
  '/tmp',
  '/var/tmp',
  '/root/.cache',
  '/root/go',
  '/go/pkg',
  '/usr/local/go',
  '/var/cache',
  '/var/lib/apt',
  '/var/lib/dpkg',
  '/var/log/apt',
  '/etc/apt',
  '/etc/apk',
  '/usr/share/doc',
  '/usr/share/man',
];

/**
 * What RUN commands put into the image (`cp config.example.yaml config.yaml`, `cp -r web
 * /opt/app/`, `cp -R templates /app` next to the binary, a downloaded data file, an empty `mkdir
 * data` the program writes into), except trees of sources (`git clone`), caches and
 * package-manager state, and directories `mkdir` made for the build's outputs or sources.
 *
 * A RUN that writes files of unknown names into the working directory or a directory above it
 * (`cp -R dist/. /app`, `curl -O` there) gives the runtime that whole directory when it holds no
 * Go sources from the context; next to the sources, the files cannot be told apart: refused.
 */
export function runWrittenPaths(
  stage: Stage,
  cwd: string,
  gone: Set<string>,
  /** The image directories holding Go files copied from the context. */
  goDirs: readonly string[],
  binaryPaths: Set<string>,
): { path: string; why: string }[] {
  const found: { path: string; why: string }[] = [];
  for (const entry of stage.fs.entries) {
    if (entry.origin !== 'run' && entry.origin !== 'mkdir') continue;
    if (entry.cloned || [...gone].some((g) => isWithin(entry.path, g))) continue;
    if (BUILD_ONLY_PATHS.some((p) => isWithin(entry.path, p))) continue;
    const line = entry.instruction.getRange().start.line + 1;
    if (entry.path === cwd || isWithin(cwd, entry.path)) {
      // What mkdir made there is the working directory itself (or on the way to it).
      if (entry.origin === 'mkdir' || entry.kind === 'file') continue;
      if (entry.path === '/' || goDirs.some((d) => isWithin(d, entry.path))) {
        throw new Refusal(
          `the RUN on line ${line} writes files whose names are not known into ${entry.path}, where the program runs${entry.path === cwd ? '' : ` (${cwd})`} and next to the Go sources, so the runtime could not be given just those; write the runtime stage by hand.`,
        );
      }
      found.push({
        path: entry.path,
        why: `the RUN on line ${line} writes files of unknown names there`,
      });
      continue;
    }
    if (entry.origin === 'mkdir') {
      const filled = stage.fs.entries.some(
        (e) =>
          e !== entry && (e.origin === 'copy' || e.origin === 'go') && isWithin(e.path, entry.path),
      );
      if (filled || [...binaryPaths].some((b) => isWithin(b, entry.path))) continue;
    }
    found.push({ path: entry.path, why: `made by the RUN on line ${line}` });
  }
  return found;
}

/** Paths a RUN moved away or removed (`mv settings.dist.json settings.json`, `rm -rf docs`). */
export function removedPaths(stage: Stage): Set<string> {
  const removed = new Set<string>();
  for (const run of stage.runs) {
    run.commands.forEach((command, i) => {
      const name = command.words[0]?.text;
      if (name !== 'mv' && name !== 'rm') return;
      const operands = command.words.slice(1).filter((w) => !w.text.startsWith('-'));
      const sources = name === 'mv' ? operands.slice(0, -1) : operands;
      const cwd = run.commandCwds[i];
      for (const word of sources) {
        if (word.dynamic || word.glob) continue;
        if (isAbsolute(word.text)) removed.add(resolve('/', word.text));
        else if (cwd !== undefined) removed.add(resolve(cwd, word.text));
      }
    });
  }
  return removed;
}
