// Refreshes the Go release data the extension ships (server/src/core/data/go-releases.json):
// for each Go release line, the date of its first release, its newest patch and that patch's
// date. The releases come from go.dev's download list, their dates from its release history.
// The extension reads only the JSON file; nothing is fetched at run time.
//
//   node scripts/refresh-go-releases.mjs [--dl FILE] [--history FILE] [--date YYYY-MM-DD] [--out FILE]
//
// --dl and --history read saved copies of https://go.dev/dl/?mode=json&include=all and
// https://go.dev/doc/devel/release instead of fetching them. After a refresh, run `npm test`:
// the rule pages' examples name Go releases, and may need a newer one once a release line ends.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const DOWNLOADS_URL = 'https://go.dev/dl/?mode=json&include=all';
export const HISTORY_URL = 'https://go.dev/doc/devel/release';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA_FILE = join(root, 'server', 'src', 'core', 'data', 'go-releases.json');

/** `1.22.3` → [1, 22, 3]; `1.20` → [1, 20, 0]. */
function parts(version) {
  const [major, minor = '0', patch = '0'] = version.split('.');
  return [Number(major), Number(minor), Number(patch)];
}

/** Go 1.0 was released as `go1`: its line is `1.0` like the others. */
function normalize(version) {
  return version === '1' ? '1.0' : version;
}

function compareVersions(a, b) {
  const x = parts(a);
  const y = parts(b);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/**
 * The stable releases of the download list (`[{version: "go1.22.3", stable: true, files: …}]`),
 * as versions without the `go` prefix; pre-releases and malformed entries are left out.
 */
export function parseDownloads(json) {
  const list = typeof json === 'string' ? JSON.parse(json) : json;
  if (!Array.isArray(list)) throw new Error('the download list is not a JSON array');
  const versions = new Set();
  for (const entry of list) {
    if (!entry || entry.stable !== true || typeof entry.version !== 'string') continue;
    const match = /^go(\d+(?:\.\d+){0,2})$/.exec(entry.version);
    if (match) versions.add(normalize(match[1]));
  }
  return [...versions].sort(compareVersions);
}

/**
 * The release dates of the release history page: `go1.22.3 (released 2024-04-03)`, in its HTML
 * or as text (older entries write dates with slashes, `2019/10/17`). Keys are versions without
 * `go`.
 */
export function parseHistory(html) {
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ');
  const dates = new Map();
  const pattern = /\bgo(\d+(?:\.\d+){0,2}) \(released (\d{4})[-/](\d{2})[-/](\d{2})\)/g;
  for (const match of text.matchAll(pattern)) {
    const version = normalize(match[1]);
    if (!dates.has(version)) dates.set(version, `${match[2]}-${match[3]}-${match[4]}`);
  }
  return dates;
}

/**
 * The release lines, newest first: `[minor, first release date, newest patch, its date]`. The
 * first release of a line is `1.N.0` from Go 1.21 on, `1.N` before. A date the history lacks
 * is written as an empty string. `versions` are the download list's stable releases; the
 * history's are added, as the list leaves out the oldest (it starts at Go 1.2.2).
 */
export function buildReleases(versions, dates) {
  const lines = new Map();
  for (const version of new Set([...versions, ...dates.keys()])) {
    const [major, minor] = parts(version);
    const key = `${major}.${minor}`;
    const known = lines.get(key);
    if (!known || compareVersions(version, known) > 0) lines.set(key, version);
  }
  const firstRelease = (minor) => dates.get(`${minor}.0`) ?? dates.get(minor) ?? '';
  return [...lines.entries()]
    .sort(([a], [b]) => compareVersions(b, a))
    .map(([minor, latest]) => [minor, firstRelease(minor), latest, dates.get(latest) ?? '']);
}

/** Checks that the data is whole enough to replace the shipped file. */
export function checkReleases(releases) {
  if (releases.length < 20) throw new Error(`only ${releases.length} release lines found`);
  for (const [minor, released, latest, latestDate] of releases.slice(0, 3)) {
    if (!released || !latestDate) {
      throw new Error(`go${latest} (line ${minor}) has no date in the release history`);
    }
  }
}

/** The data file's content. */
export function releaseData(releases, { date, source }) {
  return { date, source, releases };
}

async function fetchText(url) {
  const response = await globalThis.fetch(url, { signal: globalThis.AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

/** Formats JSON as the repository's Prettier does, so that `npm run lint` passes. */
export async function formatJson(value) {
  const text = JSON.stringify(value, null, 2) + '\n';
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(DATA_FILE)) ?? {};
    return await prettier.format(text, { ...options, parser: 'json' });
  } catch {
    return text;
  }
}

async function main(argv) {
  const option = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dlFile = option('--dl');
  const historyFile = option('--history');
  const date = option('--date') ?? new Date().toISOString().slice(0, 10);
  const out = option('--out') ?? DATA_FILE;
  const downloads = dlFile ? readFileSync(dlFile, 'utf8') : await fetchText(DOWNLOADS_URL);
  const history = historyFile ? readFileSync(historyFile, 'utf8') : await fetchText(HISTORY_URL);
  const releases = buildReleases(parseDownloads(downloads), parseHistory(history));
  checkReleases(releases);
  const copies = dlFile || historyFile ? 'saved copies of ' : '';
  const source =
    `Generated by scripts/refresh-go-releases.mjs on ${date} from ${copies}${DOWNLOADS_URL} ` +
    `(the stable releases) and ${HISTORY_URL} (their dates).`;
  writeFileSync(out, await formatJson(releaseData(releases, { date, source })));
  console.log(`${out}: ${releases.length} release lines, newest go${releases[0][2]}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`refresh-go-releases: ${error.message}`);
    process.exitCode = 1;
  });
}
