/**
 * What cp, mv, ln and install write: under the source's own name when the destination is a
 * directory (known from the stage, -t, several sources), the destination itself otherwise.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { commandEffect } from '../../server/src/core/model/filesystem';
import { parseScript } from '../../server/src/core/model/shell';

function writes(script: string, directories: string[] = []): unknown {
  const command = parseScript(script).commands[0];
  const effect = commandEffect(command, '/src', (p) => directories.includes(p));
  return effect.kind === 'writes' ? effect.paths.map((w) => w.path) : effect.kind;
}

describe('cp, mv, ln and install', () => {
  test('into a directory the stage has: under the source name', () => {
    assert.deepEqual(writes('cp -R templates /app', ['/app']), ['/app/templates']);
    assert.deepEqual(writes('mv static /app', ['/app']), ['/app/static']);
    assert.deepEqual(writes('ln -s /app/server /usr/local/bin', ['/usr/local/bin']), [
      '/usr/local/bin/server',
    ]);
  });
  test('unknown destination, one source: the destination itself', () => {
    assert.deepEqual(writes('cp -R templates /app'), ['/app']);
    assert.deepEqual(writes('cp -r /srv/assets /opt/api/'), ['/opt/api']);
    assert.deepEqual(writes('cp config.example.yaml config.yaml'), ['/src/config.yaml']);
  });
  test('-t, several sources, contents, -T and install -d', () => {
    assert.deepEqual(writes('cp -r -t /app a b'), ['/app/a', '/app/b']);
    assert.deepEqual(writes('cp --target-directory=/app a'), ['/app/a']);
    assert.deepEqual(writes('cp -r a b /app'), ['/app/a', '/app/b']);
    assert.deepEqual(writes('cp -R dist/. /app', ['/app']), ['/app']);
    assert.deepEqual(writes('cp -T a /app', ['/app']), ['/app']);
    assert.deepEqual(writes('install -d /data /logs'), ['/data', '/logs']);
    assert.deepEqual(writes('install -m 755 app /usr/local/bin/app'), ['/usr/local/bin/app']);
  });
});

describe('curl and wget', () => {
  test('a file named after the URL, in the current directory', () => {
    assert.deepEqual(writes('wget -q https://go.dev/dl/go1.27.linux-amd64.tar.gz'), [
      '/src/go1.27.linux-amd64.tar.gz',
    ]);
    assert.deepEqual(writes('curl -fsSLO https://example.com/tools/app'), ['/src/app']);
    assert.deepEqual(writes('curl --remote-name https://example.com/a.tgz'), ['/src/a.tgz']);
  });
  test('a named output, standard output, or a name not known from the URL', () => {
    assert.deepEqual(writes('wget -O /usr/bin/jq https://example.com/jq'), ['/usr/bin/jq']);
    assert.deepEqual(writes('curl -fsSL https://example.com/x.sh'), 'none');
    // The query, a folder URL or a flag that may change the place or name: anything in the folder.
    assert.deepEqual(writes('wget "https://example.com/get?f=app"'), ['/src']);
    assert.deepEqual(writes('wget https://example.com/'), ['/src']);
    assert.deepEqual(writes('wget -P /opt https://example.com/app'), ['/src']);
    assert.deepEqual(writes('wget --content-disposition https://example.com/app'), ['/src']);
    assert.deepEqual(writes('wget https://example.com/a https://example.com/b'), ['/src']);
  });
});
