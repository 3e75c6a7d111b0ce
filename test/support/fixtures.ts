/** The Dockerfiles under test/fixtures/ (any depth), read from the source tree. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root (tests run from out/test/..., sources stay in place). */
export const ROOT = join(__dirname, '..', '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

export interface Fixture {
  name: string;
  text: string;
}

function isDockerfile(name: string): boolean {
  return (
    /^(Dockerfile|Containerfile)(\..*)?$/i.test(name) || /\.(Dockerfile|dockerfile)$/.test(name)
  );
}

/** Every Dockerfile fixture, sorted by path. */
export function dockerfileFixtures(dir = FIXTURES): Fixture[] {
  const found: Fixture[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (isDockerfile(entry.name)) {
        found.push({ name: relative(FIXTURES, path), text: readFileSync(path, 'utf8') });
      }
    }
  };
  walk(dir);
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The real-world Dockerfile corpus (go/ and other/ *.Dockerfile), read in place from
 * GO_MULTISTAGE_CORPUS or the shared folder beside the repository; empty when absent.
 */
export function corpusDockerfiles(): Fixture[] {
  const candidates = [
    process.env.GO_MULTISTAGE_CORPUS,
    join(ROOT, '..', 'shared', 'corpus', 'dockerfiles'),
    '/work/shared/corpus/dockerfiles',
  ];
  for (const dir of candidates) {
    if (!dir) continue;
    try {
      return ['go', 'other'].flatMap((kind) =>
        readdirSync(join(dir, kind))
          .filter((name) => name.endsWith('.Dockerfile'))
          .sort()
          .map((name) => ({
            name: `${kind}/${name}`,
            text: readFileSync(join(dir, kind, name), 'utf8'),
          })),
      );
    } catch {
      // not there: try the next place
    }
  }
  return [];
}
