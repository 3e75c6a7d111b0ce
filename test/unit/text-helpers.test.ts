/**
 * The small text helpers every layer shares: quotes around a value, cmd/go's split of a flag
 * list, and the line of a place with its base in the name.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
import { GO_QUOTES, splitQuotedFields, unquote } from '../../server/src/core/text/quotes';
import { oneBasedLine, zeroBasedLine } from '../../server/src/core/text/line-index';
import { normalize, resolve } from '../../server/src/core/text/posix-path';
import fc from 'fast-check';

describe('unquote', () => {
  test('drops one pair of matching shell quotes around the whole value', () => {
    assert.equal(unquote('"a b"'), 'a b');
    assert.equal(unquote("'a'"), 'a');
    assert.equal(unquote('""'), '');
  });

  test('leaves anything else as written', () => {
    for (const text of ['a', '"a', "a'", `"a'`, '"', 'a"b"', '`a`']) {
      assert.equal(unquote(text), text, text);
    }
  });

  test("Go's quotes: double quotes and backquotes, not single quotes", () => {
    assert.equal(unquote('`a`', GO_QUOTES), 'a');
    assert.equal(unquote('"a"', GO_QUOTES), 'a');
    assert.equal(unquote("'a'", GO_QUOTES), "'a'");
  });
});

describe('splitQuotedFields (cmd/go quoted.Split)', () => {
  test('fields at blanks; a field starting with a quote runs to the same quote', () => {
    assert.deepEqual(splitQuotedFields(` -s  -w\t-X 'main.v=1 2' "-X=a.b=c d" `), [
      '-s',
      '-w',
      '-X',
      'main.v=1 2',
      '-X=a.b=c d',
    ]);
  });

  test('quotes inside a field are kept; a closing quote ends the field', () => {
    assert.deepEqual(splitQuotedFields(`-X main.v="1"`), ['-X', 'main.v="1"']);
    assert.deepEqual(splitQuotedFields(`'a'b`), ['a', 'b']);
  });

  test('an open quote cannot be split', () => {
    assert.equal(splitQuotedFields(`-X 'main.v=1`), undefined);
    assert.deepEqual(splitQuotedFields(''), []);
  });
});

describe('zeroBasedLine / oneBasedLine', () => {
  test('the start line of an instruction or a range, in the base the name says', () => {
    const document = DockerfileParser.parse('FROM scratch\n\nCOPY \\\n  a b\n');
    const copy = document.getInstructions()[1];
    assert.equal(zeroBasedLine(copy), 2);
    assert.equal(oneBasedLine(copy), 3);
    const range = { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } };
    assert.equal(zeroBasedLine(range), 4);
    assert.equal(oneBasedLine(range), 5);
  });
});

describe('normalize', () => {
  test('keeps normal paths as they are and cleans the others', () => {
    for (const [path, expected] of [
      ['/', '/'],
      ['', '.'],
      ['/app/bin', '/app/bin'],
      ['app/', 'app'],
      ['./app', 'app'],
      ['/a//b/./c/../d', '/a/b/d'],
      ['...', '...'],
      ['a/.b', 'a/.b'],
      ['../x', '../x'],
    ]) {
      assert.equal(normalize(path), expected, path);
    }
    // A path ending in `/.` always takes the segment-by-segment way, and that last `.` changes
    // nothing: the shortcut for normal paths must agree with it.
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '.', '/', 'b'), minLength: 1 }),
        (path) => {
          assert.equal(normalize(path), normalize(path + '/.'));
        },
      ),
      { numRuns: 2000, seed: 20_261_203 },
    );
  });

  test('resolve joins without doubling the slash of a base such as `/`, to the same path', () => {
    assert.equal(resolve('/', 'app'), '/app');
    assert.equal(resolve('/src/', './go.mod'), '/src/go.mod');
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '.', '/'), maxLength: 6 }).map((b) => '/' + b),
        fc.string({ unit: fc.constantFrom('a', '.', '/', 'b'), minLength: 1 }),
        (base, path) => {
          const joined = path.startsWith('/') ? path : `${base}/${path}`;
          assert.equal(resolve(base, path), normalize(`${joined}/.`));
        },
      ),
      { numRuns: 2000, seed: 20_261_205 },
    );
  });
});
