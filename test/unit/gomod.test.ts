/**
 * The one go.mod reader: module, go and toolchain lines, require (with `// indirect`) and replace
 * (with local directories), in Go's grammar: quoted and unquoted paths, blocks, comments.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isDirectoryPath, parseGoMod, requiresModule } from '../../server/src/core/model/gomod';
import { buildModel } from '../../server/src/core/model/model';

const lines = (...l: string[]) => l.join('\n');

describe('parseGoMod', () => {
  test('module, go and toolchain, with comments and quotes', () => {
    const goMod = parseGoMod(
      lines(
        '// Package comment',
        'module "github.com/acme/app" // the app',
        '',
        'go 1.22 // minimum',
        'toolchain go1.23.1',
      ),
    );
    assert.equal(goMod.module, 'github.com/acme/app');
    assert.equal(goMod.go, '1.22');
    assert.equal(goMod.goLine, 3);
    assert.equal(goMod.toolchain, '1.23.1');
  });

  test('require: single lines and blocks, quoted and unquoted, indirect marks', () => {
    const goMod = parseGoMod(
      lines(
        'module example.com/m',
        'require golang.org/x/text v0.14.0',
        'require "github.com/a/b" v1.0.0 // indirect',
        'require (',
        '\tgithub.com/c/d v1.2.3',
        '\t`github.com/e/f` v0.1.0 // indirect; needed by d',
        '\t// a comment line',
        '\tgithub.com/g/h v2.0.0 // not indirect',
        ')',
        'require(',
        '  github.com/i/j v1.0.0',
        ')',
        'require ()',
        'exclude github.com/x/y v1.0.0',
      ),
    );
    assert.deepEqual(
      goMod.requires.map((r) => [r.path, r.version, r.indirect, r.line]),
      [
        ['golang.org/x/text', 'v0.14.0', false, 1],
        ['github.com/a/b', 'v1.0.0', true, 2],
        ['github.com/c/d', 'v1.2.3', false, 4],
        ['github.com/e/f', 'v0.1.0', true, 5],
        ['github.com/g/h', 'v2.0.0', false, 7],
        ['github.com/i/j', 'v1.0.0', false, 10],
      ],
    );
    assert.ok(requiresModule(goMod, 'github.com/e/f'));
    assert.ok(!requiresModule(goMod, 'github.com/x/y'));
    assert.ok(!requiresModule(undefined, 'github.com/a/b'));
  });

  test('a block of another verb is skipped, whatever its lines look like', () => {
    const goMod = parseGoMod(
      lines('exclude (', '\tgithub.com/x/y v1.0.0', '\tgo 1.99', ')', 'go 1.21'),
    );
    assert.deepEqual(goMod.requires, []);
    assert.equal(goMod.go, '1.21');
  });

  test('replace: module and directory targets, single lines and blocks', () => {
    const goMod = parseGoMod(
      lines(
        'replace github.com/a/b => ./lib/b',
        'replace github.com/c/d v1.0.0 => github.com/fork/d v1.0.1',
        'replace (',
        '\t"github.com/e/f" => "../f"',
        '\tgithub.com/g/h => /src/h // vendored copy',
        ')',
      ),
    );
    assert.deepEqual(
      goMod.replaces.map((r) => [r.path, r.version, r.target, r.targetVersion, r.local]),
      [
        ['github.com/a/b', undefined, './lib/b', undefined, true],
        ['github.com/c/d', 'v1.0.0', 'github.com/fork/d', 'v1.0.1', false],
        ['github.com/e/f', undefined, '../f', undefined, true],
        ['github.com/g/h', undefined, '/src/h', undefined, true],
      ],
    );
  });

  test('directory paths as Go decides them', () => {
    for (const path of ['.', '..', './x', '../x', '/x', '.\\x', '..\\x', '\\x', 'C:\\x']) {
      assert.ok(isDirectoryPath(path), path);
    }
    for (const path of ['example.com/x', 'x', '.x', '..x']) {
      assert.ok(!isDirectoryPath(path), path);
    }
  });

  test('broken text never throws', () => {
    for (const text of ['require', 'require "unterminated', 'replace a =>', ') ) (', '"', '`']) {
      const goMod = parseGoMod(text);
      assert.ok(Array.isArray(goMod.requires));
    }
    assert.deepEqual(
      parseGoMod('require "a b" v1').requires.map((r) => r.path),
      ['a b'],
    );
  });

  test('the model parses the document go.mod once and keeps it', () => {
    const model = buildModel('FROM golang:1.22\n', {
      goMod: lines('module example.com/m', 'require example.com/dep v1.0.0'),
    });
    assert.equal(model.goMod?.module, 'example.com/m');
    assert.deepEqual(
      model.goMod?.requires.map((r) => r.path),
      ['example.com/dep'],
    );
  });
});
