// The real-world corpus the benchmarks read: its folder and its Dockerfiles' texts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The corpus folder (GO_MULTISTAGE_CORPUS, or ../shared/corpus/dockerfiles), if present. */
export function corpusFolder(root) {
  const candidates = [
    process.env.GO_MULTISTAGE_CORPUS,
    join(root, '../shared/corpus/dockerfiles'),
    '/work/shared/corpus/dockerfiles',
  ].filter(Boolean);
  return candidates.find((dir) => existsSync(join(dir, 'go')));
}

/** The texts of the corpus's Dockerfiles: go/ then other/, each in name order. */
export function readCorpus(dir) {
  const files = [];
  for (const kind of ['go', 'other']) {
    const folder = join(dir, kind);
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder).sort()) {
      if (name.endsWith('.Dockerfile')) files.push(readFileSync(join(folder, name), 'utf8'));
    }
  }
  return files;
}
