/**
 * Reading a Dockerfile that will be written back (`lint --fix`, `convert --write`), and writing
 * it back the way a careful editor saves: the new text goes to a temporary file in the same
 * folder, which takes the file's mode (and owner, when running as root) and is renamed over the
 * file only if the file still holds exactly the bytes that were read. A crash or a full disk
 * leaves the old file whole; a change made meanwhile is not overwritten; a file deleted meanwhile
 * is not recreated.
 *
 * Links: the file written is the one that was read. A path that was a link when read is
 * resolved then, and its target is what gets replaced. A link swapped in after the read (the
 * path now leads elsewhere) is refused: its target is never written, and the link stays.
 */
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Larger than any Dockerfile; a file beyond it is not read at all. */
export const MAX_DOCKERFILE_BYTES = 32 * 1024 * 1024;

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A file as read for rewriting: its text, and what the writer checks before replacing it. */
export interface ReadForRewrite {
  /** The path as given. */
  path: string;
  /** Where it led when read (links resolved). */
  realPath: string;
  /** The bytes read. */
  bytes: Buffer;
  /** The text, decoded as UTF-8, without the byte-order mark. */
  text: string;
  /** The file started with a UTF-8 byte-order mark (written back with it). */
  bom: boolean;
}

/** A file that cannot be read as a Dockerfile, with the reason in words. */
export class UnreadableFile extends Error {}

/** A rewrite refused because the file changed since it was read; the file is left as it is. */
export class RewriteRefused extends Error {}

/** The reason of a file-system error, in words and with its code (`permission denied (EACCES)`). */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOENT: 'not found',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    ENOTDIR: 'a part of the path is not a folder',
    EFBIG: 'file too large for this system or its limits',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'read-only file system',
    EIO: 'input/output error',
    ELOOP: 'a loop of links',
    ENAMETOOLONG: 'the name is too long',
  };
  if (code === undefined) return error instanceof Error ? error.message : String(error);
  return words[code] ? `${words[code]} (${code})` : code;
}

/**
 * Reads a regular file (after following links) of at most `maxBytes`, without blocking on a FIFO
 * or a device: it is opened non-blocking and checked before anything is read.
 */
function readRegularFile(path: string, maxBytes: number): { bytes: Buffer; stats: Stats } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw new UnreadableFile('is a directory');
    if (!stats.isFile()) throw new UnreadableFile('is not a regular file');
    if (stats.size > maxBytes) throw new UnreadableFile(`is larger than ${maxBytes} bytes`);
    const buffer = Buffer.alloc(Math.min(stats.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) throw new UnreadableFile(`is larger than ${maxBytes} bytes`);
    return { bytes: buffer.subarray(0, length), stats };
  } finally {
    closeSync(fd);
  }
}

/** Decodes UTF-8 text; undefined when the bytes are not UTF-8. Drops a byte-order mark. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Reads a Dockerfile to analyse and maybe write back. Throws UnreadableFile (not a regular file,
 * too large, not UTF-8) or the file-system error.
 */
export function readForRewrite(path: string): ReadForRewrite {
  const realPath = realpathSync(path);
  const { bytes } = readRegularFile(realPath, MAX_DOCKERFILE_BYTES);
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new UnreadableFile('is not UTF-8 text');
  const bom = bytes.subarray(0, 3).equals(BOM);
  return { path, realPath, bytes, text, bom };
}

function writeAll(fd: number, bytes: Buffer): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written);
}

/** Throws RewriteRefused unless `path` is still the regular file holding `expected`. */
function checkUnchanged(path: string, expected: Buffer): Stats {
  let current;
  try {
    current = readRegularFile(path, expected.length);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RewriteRefused('was deleted since it was read');
    if (error instanceof UnreadableFile) {
      throw new RewriteRefused(
        error.message.startsWith('is larger')
          ? 'changed since it was read'
          : `${error.message} any more`,
      );
    }
    throw error;
  }
  if (!current.bytes.equals(expected)) throw new RewriteRefused('changed since it was read');
  return current.stats;
}

let temporaryCount = 0;

/**
 * Replaces a file read with readForRewrite by `text` (UTF-8, with the byte-order mark it had),
 * atomically. Throws RewriteRefused when the file changed, was deleted or now leads elsewhere
 * since it was read (the file is then not touched), or the file-system error of the write (the
 * file is then not touched either: only the temporary file was written, and it is removed).
 */
export function rewriteFile(file: ReadForRewrite, text: string): void {
  const bytes = file.bom ? Buffer.concat([BOM, Buffer.from(text, 'utf8')]) : Buffer.from(text);
  let realPath;
  try {
    realPath = realpathSync(file.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new RewriteRefused('was deleted since it was read');
    }
    throw error;
  }
  if (realPath !== file.realPath) {
    throw new RewriteRefused(`now leads to ${realPath}, not to the file that was read`);
  }
  const stats = checkUnchanged(realPath, file.bytes);
  if (lstatSync(realPath).nlink > 1) {
    // Renaming over it would detach this name from the file's other names.
    throw new RewriteRefused('has several hard links');
  }
  const temporary = join(
    dirname(realPath),
    `.${basename(realPath)}.go-multistage-${process.pid}-${temporaryCount++}.tmp`,
  );
  // O_EXCL: a file or link already at that name is never opened, let alone followed.
  let fd: number | undefined = openSync(
    temporary,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
    0o600,
  );
  try {
    writeAll(fd, bytes);
    fchmodSync(fd, stats.mode & 0o7777);
    // Only root can give a file away; anyone else's new file is theirs, as after any save.
    if (process.getuid?.() === 0) fchownSync(fd, stats.uid, stats.gid);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    // A last look right before the rename: still the same bytes where the file was read.
    checkUnchanged(realPath, file.bytes);
    renameSync(temporary, realPath);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // already gone
    }
    throw error;
  }
  syncFolder(dirname(realPath));
}

/** Makes the rename durable (best effort: some file systems cannot sync a folder). */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    // not supported here
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
