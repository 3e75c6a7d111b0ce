// `npm run package` (after `npm run build`): makes go-multistage.vsix with vsce, then checks it.
//
// The extension's details page in VS Code shows the packaged README in a web view that loads
// images only from https: or data: addresses and opens only web links: relative paths, which
// GitHub shows, point nowhere there (and vsce would rewrite them to a repository that does not
// exist). So the README is packaged from a copy in which each image is inlined as a data: URI
// (the pictures display offline; those of NOT_PACKAGED are said in words instead, to keep the
// .vsix small) and each relative link is plain text (the rule pages open from
// a finding, or with "Go Multi-Stage: Open Rule Page"). The changelog is packaged as its
// headings and the first line of each entry of the newest changes. vsce's deflate is then
// redone with Zopfli (zip-recompress.mjs). Then the .vsix must hold every rule page and stay
// under 500 KB.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readZip, recompressZip } from './zip-recompress.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const VSIX = 'go-multistage.vsix';
const PACKAGED_README = 'out/package/README.md';
const PACKAGED_CHANGELOG = 'out/package/CHANGELOG.md';
const MAX_BYTES = 500 * 1024;
const IMAGE_TYPES = {
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
};

/** A link target GitHub resolves inside the repository (not a web address, not an anchor). */
function isRelative(target) {
  return !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#');
}

/**
 * Pictures the .vsix does not carry (each inlined one costs its full size, about 16 KB): the
 * details page says in words what they show, and the repository's README has them.
 */
export const NOT_PACKAGED = new Set(['images/screenshots/inlay-hints.webp']);

/** The README as the details page can show it: images inlined, repository links as text. */
export function packagedReadme(markdown, readImage) {
  return markdown
    .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (whole, alt, target) => {
      if (!isRelative(target)) return whole;
      if (NOT_PACKAGED.has(target)) return `_(A picture in the repository's README: ${alt}.)_`;
      const type = IMAGE_TYPES[extname(target).toLowerCase()];
      if (!type) throw new Error(`README image ${target}: only PNG, WebP and JPEG can be inlined`);
      return `![${alt}](data:${type};base64,${readImage(target).toString('base64')})`;
    })
    .replace(/(?<!!)\[((?:[^\]`]|`[^`]*`)+)\]\(([^)\s]+)\)/g, (whole, text, target) =>
      isRelative(target) ? text : whole,
    );
}

/**
 * The changelog as packaged: its headings, and the first line of each entry under the newest
 * `RECENT_CHANGES` headings (`### `) of the newest release (the first `## ` section), so that the
 * details page says what changed lately while the .vsix stays small; older changes keep their
 * headings only, the newest `OLDER_HEADINGS` of them (and each release's own heading), then one
 * line saying how many more the source's CHANGELOG.md has. An entry cut short ends with "…".
 */
export const RECENT_CHANGES = 5;
export const OLDER_HEADINGS = 10;

export function packagedChangelog(markdown) {
  const out = [];
  let inEntry = false;
  let releases = 0;
  let changes = 0;
  let left = 0;
  for (const line of markdown.split(/\r?\n/)) {
    if (line.startsWith('#')) {
      if (line.startsWith('## ')) releases++;
      if (line.startsWith('### ')) changes++;
      if (line.startsWith('### ') && changes > RECENT_CHANGES + OLDER_HEADINGS) {
        left++;
        continue;
      }
      out.push('', line, '');
      inEntry = false;
    } else if (releases > 1 || changes > RECENT_CHANGES) {
      continue;
    } else if (/^[-*] /.test(line)) {
      out.push(line);
      inEntry = true;
    } else if (inEntry && line.trim() !== '') {
      if (!out[out.length - 1].endsWith('…')) out[out.length - 1] += ' …';
    } else inEntry = false;
  }
  if (left > 0) out.push('', `${left} earlier changes: see CHANGELOG.md in the source.`);
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n'
  );
}

async function main() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  mkdirSync(join(root, dirname(PACKAGED_README)), { recursive: true });
  writeFileSync(
    join(root, PACKAGED_README),
    packagedReadme(readme, (target) => readFileSync(join(root, target))),
  );
  const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
  writeFileSync(join(root, PACKAGED_CHANGELOG), packagedChangelog(changelog));
  const vsce = join(root, 'node_modules', '.bin', 'vsce');
  const result = spawnSync(
    vsce,
    [
      'package',
      '--no-dependencies',
      // No public repository or homepage exists to name (see README, "Install").
      '--allow-missing-repository',
      '--no-rewrite-relative-links',
      '--readme-path',
      PACKAGED_README,
      '--changelog-path',
      PACKAGED_CHANGELOG,
      '--out',
      VSIX,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);

  const vsix = join(root, VSIX);
  const { deflateAsync } = createRequire(import.meta.url)('@gfx/zopfli');
  const packed = readFileSync(vsix);
  writeFileSync(vsix, await recompressZip(packed, (data) => deflateAsync(data, {})));
  const entries = new Set(readZip(readFileSync(vsix)).map((entry) => entry.name));
  const rules = readdirSync(join(root, 'server/src/core/rules')).filter((n) => n.endsWith('.md'));
  const missing = rules.filter((name) => !entries.has(`extension/server/dist/rules/${name}`));
  const problems = [];
  if (missing.length > 0) problems.push(`rule pages missing from ${VSIX}: ${missing.join(', ')}`);
  const size = statSync(vsix).size;
  if (size >= MAX_BYTES) problems.push(`${VSIX} is ${Math.round(size / 1024)} KB (limit 500 KB)`);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`package: ${problem}`);
    process.exit(1);
  }
  console.log(
    `package: ${VSIX}, ${Math.round(size / 1024)} KB, ${rules.length} rule pages, README images inlined`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
