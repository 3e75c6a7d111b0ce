/** Reading input files for the CLI, with clear errors for what cannot be read. */
import {
  decodeUtf8,
  describeFsError,
  readForRewrite,
  UnreadableFile,
  type ReadForRewrite,
} from '../node/file-rewrite';

export class UsageError extends Error {}

export class InputError extends Error {}

/**
 * Reads a Dockerfile as UTF-8 (a regular file, after following links: a FIFO or a device is
 * refused, not waited on); throws InputError naming the problem.
 */
export function readDockerfile(path: string, what = 'Dockerfile'): ReadForRewrite {
  try {
    return readForRewrite(path);
  } catch (error) {
    if (error instanceof UnreadableFile) {
      if (error.message === 'is a directory') {
        throw new InputError(`${path} is a directory, not a ${what}`);
      }
      throw new InputError(`${path} ${error.message}`);
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError(`${what} not found: ${path}`);
    }
    throw new InputError(`cannot read ${what} ${path}: ${describeFsError(error)}`);
  }
}

/** Standard input as text: the same UTF-8 check as for a file. */
export function decodeStdin(input: string | Uint8Array): string {
  if (typeof input === 'string') return input;
  const text = decodeUtf8(input);
  if (text === undefined) throw new InputError('<stdin> is not UTF-8 text');
  return text;
}
