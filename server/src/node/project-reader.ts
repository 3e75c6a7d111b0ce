/**
 * The one reader of project files (go.mod, .dockerignore, Go sources, build files): a repository
 * is untrusted input, so a file is read only when, after resolving links, it is a regular file
 * below the size cap, and reading stops when a time budget is spent. Anything else is skipped
 * with a one-line reason, never an exception, a hang on a FIFO or device, or a huge read.
 */
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { sep } from 'node:path';

/** 1 MiB: larger than any go.mod, .dockerignore or hand-written Go file. */
export const MAX_PROJECT_FILE_BYTES = 1024 * 1024;

export type ProjectRead = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Told of a project file that exists but was not read (a link to a device, a FIFO, too large):
 * the one-line reason a caller shows (the CLI on stderr, the server in its log).
 */
export type SkipReporter = (path: string, reason: string) => void;

/** Whether a failed read is worth a word: the file is there, it could not be used. */
export function worthReporting(read: ProjectRead): read is { ok: false; reason: string } {
  return !read.ok && read.reason !== 'not found';
}

/** A file-system error in words (`not found`, `permission denied`, or its code). */
function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'a loop of links';
  return code ?? String(error);
}

/**
 * A time budget shared by several reads: the time spent inside them, added up. (A build
 * context's listing is kept for a while across analyses: a deadline counted from its first read
 * would refuse a file first asked for a few seconds later, however fast the reads were.)
 */
export class ReadBudget {
  private used = 0;

  constructor(private readonly milliseconds: number) {}

  get spent(): boolean {
    return this.used > this.milliseconds;
  }

  /** Counts the time of one read. */
  charge(milliseconds: number): void {
    this.used += milliseconds;
  }
}

/** A deadline counted from the first time it is checked, for one synchronous walk. */
export class Deadline {
  private deadline: number | undefined;

  constructor(private readonly milliseconds: number) {}

  get spent(): boolean {
    this.deadline ??= Date.now() + this.milliseconds;
    return Date.now() > this.deadline;
  }
}

/**
 * Reads a project file as UTF-8 text. `O_NONBLOCK` keeps a FIFO swapped in between the check and
 * the open from blocking; the file is checked again on the open descriptor.
 */
export function readProjectFile(
  path: string,
  options: {
    maxBytes?: number;
    budget?: ReadBudget;
    fatalUtf8?: boolean;
    /** A folder the file must lie in once links are resolved (the repository or context root). */
    within?: string;
  } = {},
): ProjectRead {
  const { budget } = options;
  if (budget?.spent) return { ok: false, reason: 'the time for reading project files is spent' };
  const started = Date.now();
  try {
    return readBounded(path, options);
  } finally {
    budget?.charge(Date.now() - started);
  }
}

function readBounded(
  path: string,
  options: { maxBytes?: number; fatalUtf8?: boolean; within?: string },
): ProjectRead {
  const maxBytes = options.maxBytes ?? MAX_PROJECT_FILE_BYTES;
  let real: string;
  try {
    real = realpathSync(path);
    if (options.within !== undefined) {
      const root = realpathSync(options.within);
      if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep)) {
        return { ok: false, reason: `a link to ${real}, outside ${options.within}` };
      }
    }
    const stats = statSync(real);
    if (!stats.isFile()) return { ok: false, reason: 'not a regular file' };
    if (stats.size > maxBytes) return { ok: false, reason: `larger than ${maxBytes} bytes` };
  } catch (error) {
    return { ok: false, reason: describeError(error) };
  }
  let fd: number | undefined;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, reason: 'not a regular file' };
    const buffer = Buffer.alloc(Math.min(stats.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) return { ok: false, reason: `larger than ${maxBytes} bytes` };
    const bytes = buffer.subarray(0, length);
    try {
      return {
        ok: true,
        text: new TextDecoder('utf-8', { fatal: options.fatalUtf8 ?? false }).decode(bytes),
      };
    } catch {
      return { ok: false, reason: 'not UTF-8 text' };
    }
  } catch (error) {
    return { ok: false, reason: describeError(error) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
