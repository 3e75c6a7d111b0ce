// The README as the extension's details page shows it: VS Code's page loads images only from
// https: and data: addresses and opens only web links, so the packaged copy has its pictures
// inlined and its links into the repository as plain text (scripts/package.mjs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/paths';

type PackagedReadme = (markdown: string, readImage: (path: string) => Buffer) => string;

async function packagedReadme(): Promise<PackagedReadme> {
  const script = pathToFileURL(join(repoRoot, 'scripts', 'package.mjs')).href;
  return ((await import(script)) as { packagedReadme: PackagedReadme }).packagedReadme;
}

describe('the packaged README', () => {
  test('inlines pictures, keeps web links and anchors, and makes repository links text', async () => {
    const convert = await packagedReadme();
    const read: string[] = [];
    const text = convert(
      [
        '![A picture](images/a.png)',
        'See [the rules](#rules), [a site](https://example.org/x) and [`docs/cli.md`](docs/cli.md).',
        '| [`some-rule`](server/src/core/rules/some-rule.md) | warning |',
        '![remote](https://example.org/b.png)',
      ].join('\n'),
      (path) => {
        read.push(path);
        return Buffer.from('PNGDATA');
      },
    );
    assert.deepEqual(read, ['images/a.png']);
    assert.equal(
      text,
      [
        `![A picture](data:image/png;base64,${Buffer.from('PNGDATA').toString('base64')})`,
        'See [the rules](#rules), [a site](https://example.org/x) and `docs/cli.md`.',
        '| `some-rule` | warning |',
        '![remote](https://example.org/b.png)',
      ].join('\n'),
    );
  });

  test('a picture the package does not carry is said in words', async () => {
    const convert = await packagedReadme();
    const read: string[] = [];
    const text = convert(
      '![Inlay hints on a Dockerfile](images/screenshots/inlay-hints.webp)',
      (path) => {
        read.push(path);
        return Buffer.from('WEBP');
      },
    );
    assert.deepEqual(read, []);
    assert.equal(text, "_(A picture in the repository's README: Inlay hints on a Dockerfile.)_");
  });

  test('refuses a picture it cannot inline', async () => {
    const convert = await packagedReadme();
    assert.throws(() => convert('![x](images/x.svg)', () => Buffer.from('')), /PNG, WebP and JPEG/);
  });

  test("the repository's README leaves no relative link or picture in the package", async () => {
    const convert = await packagedReadme();
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const packaged = convert(readme, (path) => readFileSync(join(repoRoot, path)));
    const targets = [...packaged.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.ok(targets.filter((t) => /^data:image\/(png|webp);base64,/.test(t)).length >= 2);
    assert.deepEqual(
      targets.filter((t) => !/^(https:|data:image\/|#)/.test(t)),
      [],
    );
  });
});

describe('the packaged changelog', () => {
  test('keeps the headings and the first line of the newest entries, marking cut entries', async () => {
    const script = pathToFileURL(join(repoRoot, 'scripts', 'package.mjs')).href;
    const { packagedChangelog } = (await import(script)) as {
      packagedChangelog: (markdown: string) => string;
    };
    const text = packagedChangelog(
      [
        '# Changelog',
        '',
        '## Unreleased',
        '',
        '### Links',
        '',
        '- A first entry that goes on',
        '  over a second line.',
        '- A short entry.',
        '',
        'A paragraph between entries.',
        '',
        '## 0.1.0',
        '',
        '### Older',
        '',
        '- An entry of an older release.',
      ].join('\n'),
    );
    assert.equal(
      text,
      [
        '# Changelog',
        '',
        '## Unreleased',
        '',
        '### Links',
        '',
        '- A first entry that goes on …',
        '- A short entry.',
        '',
        '## 0.1.0',
        '',
        '### Older',
        '',
      ].join('\n'),
    );
    // Only the newest changes keep their entries; older ones their headings.
    const { RECENT_CHANGES } = (await import(script)) as { RECENT_CHANGES: number };
    const many = ['## Unreleased', ''];
    for (let i = 1; i <= RECENT_CHANGES + 1; i++)
      many.push(`### Change ${i}`, '', `- Entry ${i}.`, '');
    const packaged = packagedChangelog(many.join('\n'));
    assert.match(packaged, new RegExp(`- Entry ${RECENT_CHANGES}\\.`));
    assert.doesNotMatch(packaged, new RegExp(`- Entry ${RECENT_CHANGES + 1}\\.`));
    assert.match(packaged, new RegExp(`### Change ${RECENT_CHANGES + 1}`));
    // After the newest OLDER_HEADINGS older headings, one line counts the rest.
    const { OLDER_HEADINGS } = (await import(script)) as { OLDER_HEADINGS: number };
    const count = RECENT_CHANGES + OLDER_HEADINGS + 3;
    const long = ['## Unreleased', ''];
    for (let i = 1; i <= count; i++) long.push(`### Change ${i}`, '', `- Entry ${i}.`, '');
    const capped = packagedChangelog(long.join('\n'));
    assert.match(capped, new RegExp(`### Change ${RECENT_CHANGES + OLDER_HEADINGS}\n`));
    assert.doesNotMatch(capped, new RegExp(`### Change ${RECENT_CHANGES + OLDER_HEADINGS + 1}\n`));
    assert.match(capped, /\n3 earlier changes: see CHANGELOG\.md in the source\.\n$/);
    // The repository's own changelog shrinks to well under half.
    const whole = readFileSync(join(repoRoot, 'CHANGELOG.md'), 'utf8');
    assert.ok(packagedChangelog(whole).length < whole.length / 2);
  });
});
