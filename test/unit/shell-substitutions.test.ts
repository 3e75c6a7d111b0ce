import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel } from '../../server/src/core';
import { locateCommands } from '../../server/src/core/model/command-words';
import { parseScript } from '../../server/src/core/model/shell';

const MARK = '${__command_substitution__}';

/** Each command of a script as its assignments and words, joined by spaces. */
function commands(script: string): string[] {
  return parseScript(script).commands.map((c) =>
    [...c.assignments.map((a) => `${a.name}=${a.value.text}`), ...c.words.map((w) => w.text)].join(
      ' ',
    ),
  );
}

describe('command substitutions in RUN scripts', () => {
  test('one outside quotes is one part of its word, with the text glued to it', () => {
    assert.deepEqual(commands('go build -o $(go env GOPATH)/bin/app ./cmd/app'), [
      `go build -o ${MARK}/bin/app ./cmd/app`,
    ]);
    assert.deepEqual(commands('echo $((1 + 2)) a$(b $(c))d'), [`echo ${MARK} a${MARK}d`]);
  });

  test('a backquoted one is one too, outside quotes or in double ones', () => {
    assert.deepEqual(commands('V=`git describe --tags` go build -o /out/`uname -m`/app .'), [
      `V=${MARK} go build -o /out/${MARK}/app .`,
    ]);
    assert.deepEqual(commands('go build -ldflags "-X main.v=`date +%s`" .'), [
      `go build -ldflags -X main.v=${MARK} .`,
    ]);
    assert.deepEqual(commands("echo '`x`' \\`y"), ['echo `x` `y']);
  });

  test('one in an assignment leaves the command it prefixes whole', () => {
    assert.deepEqual(commands('V=$(date +%s) go build -o /out/app .'), [
      `V=${MARK} go build -o /out/app .`,
    ]);
  });

  test('one in double quotes, with quotes of its own, stays in its word', () => {
    assert.deepEqual(
      commands('go build -ldflags "-X main.v=$(git describe --tags "--always") -s" -o /a .'),
      [`go build -ldflags -X main.v=${MARK} -s -o /a .`],
    );
  });

  test('the words are dynamic; single quotes and an open one keep the text', () => {
    const words = parseScript('cp "$(go env GOPATH)/bin/x" /usr/bin/').commands[0].words;
    assert.equal(words[1].dynamic, true);
    assert.deepEqual(commands("echo '$(x)'"), ['echo $(x)']);
    // Inside ${…} the expansion is held whole, as before.
    assert.deepEqual(commands('V=${V:-$(git describe)} go build .'), [
      'V=${V:-$(git describe)} go build .',
    ]);
  });

  test('the words of a command with substitutions are located in the document', () => {
    const text =
      'FROM golang:1.27\nRUN V=$(date) go build -ldflags "-X main.v=`git describe`" -o /a/$(uname -m) .\n';
    const model = buildModel(text);
    const run = model.stages[0].runs[0];
    const [located] = locateCommands(model, run);
    assert.ok(located, 'located');
    const shown = located.words.map((w) => text.slice(w.start, w.end));
    assert.deepEqual(shown, [
      'V=$(date)',
      'go',
      'build',
      '-ldflags',
      '"-X main.v=`git describe`"',
      '-o',
      '/a/$(uname -m)',
      '.',
    ]);
  });
});
