/**
 * The one reading of `git clone` (model/git-clone.ts): the repository and the folder the clone
 * makes, past the options that take a value, and what the stage's file system records of it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gitCloneOf } from '../../server/src/core/model/git-clone';
import { commandEffect } from '../../server/src/core/model/filesystem';
import { parseScript } from '../../server/src/core/model/shell';

const clone = (script: string) => gitCloneOf(parseScript(script).commands[0]);

function writes(script: string): unknown {
  const effect = commandEffect(parseScript(script).commands[0], '/src');
  return effect.kind === 'writes' ? effect.paths.map((w) => [w.path, w.cloned]) : effect.kind;
}

describe('gitCloneOf', () => {
  test('the folder is the destination operand, else the name git derives from the URL', () => {
    assert.deepEqual(clone('git clone https://github.com/facebook/rocksdb.git /tmp/rocksdb'), {
      url: 'https://github.com/facebook/rocksdb.git',
      dir: '/tmp/rocksdb',
      dirWritten: true,
    });
    assert.deepEqual(clone('git clone https://github.com/example/tool.git'), {
      url: 'https://github.com/example/tool.git',
      dir: 'tool',
      dirWritten: false,
    });
    assert.equal(clone('git clone git@github.com:example/tool.git')?.dir, 'tool');
    assert.equal(clone('git clone https://github.com/example/tool/')?.dir, 'tool');
  });

  test('options that take a value do not count as the repository or the folder', () => {
    for (const script of [
      'git clone --depth 1 https://github.com/example/tool.git',
      'git clone -b v1.2.0 --single-branch https://github.com/example/tool.git',
      'git clone --branch v1.2.0 --depth=1 --filter blob:none https://github.com/example/tool.git',
      'git clone -c core.autocrlf=false -- https://github.com/example/tool.git',
    ]) {
      assert.deepEqual(
        clone(script),
        { url: 'https://github.com/example/tool.git', dir: 'tool', dirWritten: false },
        script,
      );
    }
    assert.equal(
      clone('git clone --depth 1 https://github.com/example/tool.git --branch v1 out')?.dir,
      'out',
    );
  });

  test('git -C: where git runs; git options before clone are skipped', () => {
    assert.deepEqual(clone('git -C /opt clone https://example.com/lib.git'), {
      url: 'https://example.com/lib.git',
      dir: '/opt/lib',
      dirWritten: false,
    });
    assert.equal(
      clone('git -C /opt -C src clone https://example.com/lib.git x')?.dir,
      '/opt/src/x',
    );
    assert.equal(clone('git -C /opt clone https://example.com/lib.git /tmp/lib')?.dir, '/tmp/lib');
    assert.equal(
      clone('git -c http.sslVerify=false clone https://example.com/lib.git')?.dir,
      'lib',
    );
  });

  test('not a clone: another subcommand, another program, no repository', () => {
    assert.equal(clone('git checkout v1.2.0'), undefined);
    assert.equal(clone('git -C clone status'), undefined);
    assert.equal(clone('hg clone https://example.com/lib'), undefined);
    assert.equal(clone('git clone --depth 1'), undefined);
  });
});

describe('what the stage records of a clone', () => {
  test('the cloned tree, wherever the options put the repository', () => {
    assert.deepEqual(writes('git clone --depth 1 https://github.com/example/tool.git'), [
      ['/src/tool', true],
    ]);
    assert.deepEqual(writes('git clone -b v1 https://github.com/example/tool.git /opt/tool'), [
      ['/opt/tool', true],
    ]);
    assert.deepEqual(writes('git -C /opt clone https://github.com/example/tool.git'), [
      ['/opt/tool', true],
    ]);
    assert.deepEqual(writes('git -C build clone https://github.com/example/tool.git x'), [
      ['/src/build/x', true],
    ]);
    assert.equal(writes('git checkout v1.2.0'), 'none');
  });
});
