// Where the real-build tests keep their state: the cache folder with buildah's own storage, the
// Debian root filesystems the base images are made from and the step markers. Never inside the
// repository, and never buildah's default storage (/var/lib/containers).
import { join, relative, resolve, dirname, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The cache folder: $GO_MULTISTAGE_BUILD_CACHE or /var/tmp/go-multistage-build. */
export function cacheDir() {
  const dir = resolve(process.env.GO_MULTISTAGE_BUILD_CACHE || '/var/tmp/go-multistage-build');
  const inside = relative(REPO_ROOT, dir);
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
    throw new Error(`the build cache ${dir} must be outside the repository ${REPO_ROOT}`);
  }
  return dir;
}

export const storageDir = (cache = cacheDir()) => join(cache, 'storage');
export const runrootDir = (cache = cacheDir()) => join(cache, 'run');
export const rootfsDir = (cache = cacheDir()) => join(cache, 'rootfs');
/** One file per finished step, holding the key of the recipe it was made with. */
export const stateDir = (cache = cacheDir()) => join(cache, 'state');
/** The run-redirect helper (see images.mjs), bind-mounted into the containers the tests run. */
export const helperDir = (cache = cacheDir()) => join(cache, 'helper');
/** buildah's TMPDIR: a run it could not finish leaves its bundle folder here, not in /var/tmp. */
export const tmpDir = (cache = cacheDir()) => join(cache, 'tmp');
/** Held by the run that uses the storage (one at a time: it removes leftover containers). */
export const lockFile = (cache = cacheDir()) => join(cache, 'lock');
