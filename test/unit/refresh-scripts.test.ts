/**
 * The scripts that refresh the data shipped with the extension (Go releases, image sizes), on
 * saved samples of what go.dev and the registries answer: no network in the tests.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/paths';

const FIXTURES = join(repoRoot, 'test', 'fixtures', 'refresh');

/* eslint-disable @typescript-eslint/no-explicit-any -- the scripts are plain JavaScript. */
async function script(name: string): Promise<any> {
  return import(pathToFileURL(join(repoRoot, 'scripts', name)).href);
}

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

describe('scripts/refresh-go-releases.mjs', () => {
  test('keeps the stable releases of the download list, without pre-releases or junk', async () => {
    const { parseDownloads } = await script('refresh-go-releases.mjs');
    assert.deepEqual(parseDownloads(fixture('go-dl.json')), [
      '1.2.2',
      '1.20',
      '1.20.14',
      '1.21.0',
      '1.26.0',
      '1.26.9',
      '1.26.10',
      '1.27.3',
      '1.27.4',
    ]);
    assert.throws(() => parseDownloads('{"not": "a list"}'), /not a JSON array/);
  });

  test('reads the dates of the release history: across lines, with slashes, go1 as 1.0', async () => {
    const { parseHistory } = await script('refresh-go-releases.mjs');
    const dates: Map<string, string> = parseHistory(fixture('go-release-history.html'));
    assert.equal(dates.get('1.27.0'), '2026-08-19');
    assert.equal(dates.get('1.27.3'), '2026-10-20');
    assert.equal(dates.get('1.27.4'), '2026-11-10');
    assert.equal(dates.get('1.26.9'), '2026-10-08');
    assert.equal(dates.get('1.20'), '2023-02-01');
    assert.equal(dates.get('1.2'), '2013-12-01');
    assert.equal(dates.get('1.0'), '2012-03-28');
    assert.equal(dates.get('1.0.3'), '2012-09-21');
    assert.equal(dates.has('1.26.10'), false);
  });

  test('builds one row per release line, newest first, with its newest patch', async () => {
    const { parseDownloads, parseHistory, buildReleases, checkReleases } =
      await script('refresh-go-releases.mjs');
    const releases = buildReleases(
      parseDownloads(fixture('go-dl.json')),
      parseHistory(fixture('go-release-history.html')),
    );
    assert.deepEqual(releases, [
      ['1.27', '2026-08-19', '1.27.4', '2026-11-10'],
      // 1.26.10 is newer than 1.26.9 (numbers, not text); the history has no date for it.
      ['1.26', '2026-02-10', '1.26.10', ''],
      ['1.21', '2023-08-08', '1.21.0', '2023-08-08'],
      ['1.20', '2023-02-01', '1.20.14', '2024-02-06'],
      // Older than the download list: from the history alone.
      ['1.2', '2013-12-01', '1.2.2', '2014-05-05'],
      ['1.0', '2012-03-28', '1.0.3', '2012-09-21'],
    ]);
    // A sample this small would not replace the shipped data.
    assert.throws(() => checkReleases(releases), /only 6 release lines/);
  });

  test('run on saved copies, regenerates the shipped data file row for row', () => {
    const shipped = JSON.parse(
      readFileSync(join(repoRoot, 'server', 'src', 'core', 'data', 'go-releases.json'), 'utf8'),
    );
    const rows: string[][] = shipped.releases;
    const first = (minor: string) => {
      const [, n] = minor.split('.').map(Number);
      return n >= 21 ? `${minor}.0` : minor === '1.0' ? '1' : minor;
    };
    const downloads = rows.flatMap(([minor, , latest]) => [
      { version: `go${first(minor)}`, stable: true, files: [] },
      { version: `go${latest}`, stable: true, files: [] },
    ]);
    const history = rows
      .map(
        ([minor, released, latest, date]) =>
          `<h2>go${first(minor)} (released ${released})</h2>\n<p>go${latest} (released ${date}) includes fixes.</p>`,
      )
      .join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'gm-refresh-'));
    try {
      writeFileSync(join(dir, 'dl.json'), JSON.stringify(downloads));
      writeFileSync(join(dir, 'history.html'), history);
      const out = join(dir, 'go-releases.json');
      const result = spawnSync(
        process.execPath,
        [
          join(repoRoot, 'scripts', 'refresh-go-releases.mjs'),
          '--dl',
          join(dir, 'dl.json'),
          '--history',
          join(dir, 'history.html'),
          '--date',
          '2030-01-02',
          '--out',
          out,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(result.status, 0, result.stderr);
      const written = JSON.parse(readFileSync(out, 'utf8'));
      assert.equal(written.date, '2030-01-02');
      assert.match(
        written.source,
        /saved copies of https:\/\/go\.dev\/dl\/\?mode=json&include=all/,
      );
      assert.deepEqual(written.releases, rows);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('refuses to write a file from an answer that is not the download list', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-refresh-'));
    try {
      writeFileSync(join(dir, 'dl.json'), '<html>503 Service Unavailable</html>');
      const out = join(dir, 'out.json');
      const result = spawnSync(
        process.execPath,
        [
          join(repoRoot, 'scripts', 'refresh-go-releases.mjs'),
          '--dl',
          join(dir, 'dl.json'),
          '--history',
          join(FIXTURES, 'go-release-history.html'),
          '--out',
          out,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(result.status, 1);
      assert.match(result.stderr, /refresh-go-releases: /);
      assert.throws(() => readFileSync(out));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('scripts/refresh-image-sizes.mjs', () => {
  test('finds the registry, repository and tag of an image name', async () => {
    const { registryReference } = await script('refresh-image-sizes.mjs');
    assert.deepEqual(registryReference('golang:alpine'), {
      host: 'registry-1.docker.io',
      repository: 'library/golang',
      tag: 'alpine',
    });
    assert.deepEqual(registryReference('alpine'), {
      host: 'registry-1.docker.io',
      repository: 'library/alpine',
      tag: 'latest',
    });
    assert.deepEqual(registryReference('gcr.io/distroless/static-debian13:nonroot'), {
      host: 'gcr.io',
      repository: 'distroless/static-debian13',
      tag: 'nonroot',
    });
    assert.deepEqual(registryReference('localhost:5000/team/app'), {
      host: 'localhost:5000',
      repository: 'team/app',
      tag: 'latest',
    });
  });

  test('reads a Bearer challenge, the amd64 image of an index and the size of its layers', async () => {
    const { tokenUrl, amd64Digest, layersSize } = await script('refresh-image-sizes.mjs');
    assert.equal(
      tokenUrl(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/golang:pull"',
      ),
      'https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fgolang%3Apull',
    );
    assert.equal(tokenUrl('Basic realm="registry"'), undefined);
    assert.equal(tokenUrl(null), undefined);
    const index = JSON.parse(fixture('registry-index.json'));
    assert.equal(
      amd64Digest(index),
      'sha256:2222222222222222222222222222222222222222222222222222222222222222',
    );
    assert.throws(() => amd64Digest({ manifests: [] }), /no linux\/amd64 image/);
    assert.equal(layersSize(JSON.parse(fixture('registry-manifest.json'))), 75169503);
    assert.throws(() => layersSize({ layers: [{ size: -1 }] }), /no size/);
  });

  test('measures an image through the token, the index and the manifest', async () => {
    const { measure, sizeData } = await script('refresh-image-sizes.mjs');
    const asked: { url: string; authorization?: string; accept?: string }[] = [];
    const answer = (status: number, body: string, headers: Record<string, string> = {}) =>
      new Response(body, { status, headers });
    const fakeFetch = async (url: string, init: { headers?: Record<string, string> } = {}) => {
      asked.push({
        url,
        authorization: init.headers?.Authorization,
        accept: init.headers?.Accept,
      });
      if (url.startsWith('https://auth.docker.io/token')) return answer(200, '{"token":"t0k"}');
      if (!init.headers?.Authorization) {
        return answer(401, '', {
          'WWW-Authenticate':
            'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/golang:pull"',
        });
      }
      if (url.endsWith('/manifests/alpine')) return answer(200, fixture('registry-index.json'));
      if (
        url.endsWith(
          '/manifests/sha256:2222222222222222222222222222222222222222222222222222222222222222',
        )
      ) {
        return answer(200, fixture('registry-manifest.json'));
      }
      return answer(404, '');
    };
    assert.equal(await measure('golang:alpine', fakeFetch), 75169503);
    assert.deepEqual(
      asked.map((a) => [a.url, a.authorization]),
      [
        ['https://registry-1.docker.io/v2/library/golang/manifests/alpine', undefined],
        [
          'https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fgolang%3Apull',
          undefined,
        ],
        ['https://registry-1.docker.io/v2/library/golang/manifests/alpine', 'Bearer t0k'],
        [
          'https://registry-1.docker.io/v2/library/golang/manifests/sha256:2222222222222222222222222222222222222222222222222222222222222222',
          'Bearer t0k',
        ],
      ],
    );
    assert.match(asked[0].accept ?? '', /application\/vnd\.oci\.image\.index\.v1\+json/);
    await assert.rejects(measure('golang:missing', fakeFetch), /HTTP 404/);

    // What it writes is what the core reads: every family, scratch included.
    const data = sizeData([{ key: 'golang', image: 'golang:latest', bytes: 1 }], {
      date: '2030-01-02',
      source: 'test',
    });
    assert.deepEqual(
      data.images.map((i: { key: string; bytes: number }) => [i.key, i.bytes]),
      [
        ['golang', 1],
        ['scratch', 0],
      ],
    );
  });
});
