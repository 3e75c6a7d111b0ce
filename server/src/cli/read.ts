/** Reading input files for the CLI, with clear errors for what cannot be read. */
import { readFileSync, statSync } from 'node:fs';

export class UsageError extends Error {}

export class InputError extends Error {}

/** Reads a text file as UTF-8; throws InputError naming the problem. */
export function readTextFile(path: string, what = 'file'): string {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `${what} not found: ${path}`
        : `cannot read ${what} ${path}: ${code ?? error}`,
    );
  }
  if (stats.isDirectory()) throw new InputError(`${path} is a directory, not a ${what}`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      `cannot read ${what} ${path}: ${code === 'EACCES' ? 'permission denied' : code}`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${path} is not UTF-8 text`);
  }
}
