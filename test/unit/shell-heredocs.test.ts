import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { logicalLines, parseScript } from '../../server/src/core/model/shell';

/** Each command of a script as its line and its words joined by spaces. */
function commands(script: string): string[] {
  return parseScript(script).commands.map(
    (c) => `${c.line}: ${c.words.map((w) => w.text).join(' ')}`,
  );
}

describe('heredocs in a script', () => {
  test('a body is the command’s input: its lines are no commands', () => {
    const script = [
      '#!/bin/sh',
      'cat > /etc/app.conf <<EOF',
      "iptables -A INPUT -j DROP # can't run",
      '${SETTINGS}',
      'EOF',
      'exec /usr/sbin/sshd -D',
    ].join('\n');
    assert.deepEqual(commands(script), ['1: cat', '5: exec /usr/sbin/sshd -D']);
  });

  test('<<- strips tabs before the delimiter; quoted delimiters; two heredocs on one line', () => {
    assert.deepEqual(commands('cat <<-END\n\tbody\n\tEND\ngo build .\n'), [
      '0: cat',
      '3: go build .',
    ]);
    assert.deepEqual(commands("cat <<'EOF' | tee a\n$(rm -rf /)\nEOF\nmake\n"), [
      '0: cat',
      '0: tee a',
      '3: make',
    ]);
    assert.deepEqual(commands('paste <<A <<B\none\nA\ntwo\nB\nls\n'), ['0: paste', '5: ls']);
  });

  test('the lines keep their numbers, CRLF included', () => {
    const starts: number[] = [];
    const lines = logicalLines('cat <<EOF\r\na\r\nEOF\r\necho done\r\n', starts);
    assert.deepEqual(lines, ['cat ', '', '', 'echo done', '']);
    assert.deepEqual(starts, [0, 1, 2, 3, 4]);
  });

  test('not a heredoc: a here-string, a shift, quoted text', () => {
    assert.deepEqual(commands('cat <<< "x"\nls\n'), ['0: cat', '1: ls']);
    // The shift's line is read as before (no body skipped): `ls` is still a command of line 1.
    assert.deepEqual(commands('echo $((1 << 2))\nls\n').slice(-1), ['1: ls']);
    assert.deepEqual(commands('echo "a <<b"\nls\n'), ['0: echo a <<b', '1: ls']);
  });

  test('a body fed to a shell is a script: its lines stay commands', () => {
    assert.deepEqual(commands("bash <<'EOS'\ngo build ./...\nEOS\nls\n"), [
      '0: bash EOS',
      '1: go build ./...',
      '2: EOS',
      '3: ls',
    ]);
    assert.deepEqual(commands('cd /src && GOOS=linux /bin/sh <<EOF\nmake\nEOF\n').slice(0, 3), [
      '0: cd /src',
      '0: /bin/sh EOF',
      '1: make',
    ]);
  });

  test('a body never closed runs to the end of the script', () => {
    assert.deepEqual(commands('cat <<EOF\nrm -rf /\nreboot'), ['0: cat']);
  });
});
