import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../server/src/core';
import { parseScript } from '../../server/src/core/model/shell';

/** Each command of a script as its words joined by spaces. */
function commands(script: string): string[] {
  return parseScript(script).commands.map((c) =>
    [...c.assignments.map((a) => `${a.name}=`), ...c.words.map((w) => w.text)].join(' '),
  );
}

describe('an unquoted ${…} that shell-quote cannot read', () => {
  test('the commands after it are still read', () => {
    assert.deepEqual(commands('V=${V:-$(git rev-parse HEAD)} && go build -o /a .'), [
      'V=',
      'go build -o /a .',
    ]);
    assert.deepEqual(commands('V=${V:-`git describe`} && go build .'), ['V=', 'go build .']);
  });

  test('so are the commands after one whose word holds blanks or quotes', () => {
    assert.deepEqual(commands('make ${J:+-j ${J}} && go build .'), [
      'make ${J:+-j ${J}}',
      'go build .',
    ]);
    assert.deepEqual(commands('X=${A:+env B="${C}"} go build .'), ['X= go build .']);
  });

  test('the expansion stays in its word as written', () => {
    assert.deepEqual(commands('echo ${Y:-$(cat "v}")} done'), ['echo ${Y:-$(cat "v}")} done']);
    // In single quotes nothing expands: the text is the word's.
    assert.deepEqual(commands("echo '${X:-$(a)}'"), ['echo ${X:-$(a)}']);
  });

  test('an expansion left open still makes the line unreadable, not an exception', () => {
    assert.deepEqual(commands('V=${V:-$(git describe && go build .'), []);
  });

  test('a Dockerfile with one is analysed whole', () => {
    const text = [
      'FROM golang:1.24',
      'WORKDIR /app',
      'COPY . .',
      'RUN V=${V:-$(git rev-parse HEAD)} && go build -o /a .',
      'CMD ["/a"]',
      '',
    ].join('\n');
    const rules = analyze(text).map((d) => `${d.rule}@${d.range.start.line}`);
    assert.ok(rules.includes('go-toolchain-in-final-stage@0'), rules.join(', '));
    assert.ok(rules.includes('go-build-without-cache-mount@3'), rules.join(', '));
  });
});
