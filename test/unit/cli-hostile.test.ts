// The command line on a repository it cannot trust and a system that fails it: files written back
// are fully old or fully new (never truncated, never written through a link swapped in, never
// recreated), keep their mode, owner, byte-order mark and line ends; write errors are one line
// per file and the run goes on; text from the Dockerfile cannot drive the terminal; FIFOs,
// binary input and a closed stdout end cleanly.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main, type Io } from '../../server/src/cli/main';
import { escapeControls } from '../../server/src/cli/terminal';
import { rewriteFile, type ReadForRewrite } from '../../server/src/node/file-rewrite';
import { ROOT } from '../support/fixtures';
import { lines } from '../support/rule-tester';

const CLI = join(ROOT, 'server', 'dist', 'cli.js');

// `CMD /app` on distroless has a safe fix (exec form): `lint --fix` writes this file back.
const FIXABLE = lines(
  'FROM golang:1.24 AS build',
  'RUN CGO_ENABLED=0 go build -o /out/app .',
  'FROM gcr.io/distroless/static-debian13:nonroot',
  'COPY --from=build /out/app /app',
  'CMD /app',
);
const FIXED = FIXABLE.replace('CMD /app', 'CMD ["/app"]');
// A single stage the conversion applies to.
const SINGLE = lines(
  'FROM golang:1.24',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o /app .',
  'CMD ["/app"]',
);

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gm-cli-hostile-'));
  chmodSync(dir, 0o755);
});
after(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
/** A fresh folder with the given files. */
function folder(files: Record<string, string | Buffer> = {}): string {
  const path = join(dir, `case-${count++}`);
  mkdirSync(path);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(path, name), content);
  return path;
}

/** Runs the CLI in-process; `write` stands in for the file writer (default: the real one). */
function cli(
  cwd: string,
  args: string[],
  write: (file: ReadForRewrite, text: string) => void = rewriteFile,
) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    readStdin: () => '',
    writeFile: write,
    color: false,
  };
  return { status: main(args, io), stdout, stderr };
}

/** Runs the built CLI as a process. */
function run(args: string[], options: SpawnSyncOptions = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    ...options,
  });
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

function assertNoStackTrace(stderr: string): void {
  assert.doesNotMatch(stderr, /internal error|\n\s+at |node:internal|Error:/);
}

/** Names left in a folder besides the expected ones (temporary files of a write). */
function leftovers(path: string, expected: string[]): string[] {
  return readdirSync(path).filter((name) => !expected.includes(name));
}

describe('files written back', () => {
  test('lint --fix replaces the file whole, through a temporary file in the same folder', () => {
    const path = folder({ Dockerfile: FIXABLE });
    const result = cli(path, ['lint', '--fix', 'Dockerfile']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(readFileSync(join(path, 'Dockerfile'), 'utf8'), FIXED);
    assert.deepEqual(leftovers(path, ['Dockerfile']), []);
  });

  test('the mode and (as root) the owner are kept', (t) => {
    const path = folder({ Dockerfile: FIXABLE });
    const file = join(path, 'Dockerfile');
    chmodSync(file, 0o640);
    const root = process.getuid?.() === 0;
    if (root) chownSync(file, 65534, 65534);
    assert.equal(cli(path, ['lint', '--fix', 'Dockerfile']).status, 0);
    const stats = statSync(file);
    assert.equal(readFileSync(file, 'utf8'), FIXED);
    assert.equal(stats.mode & 0o7777, 0o640);
    if (!root) {
      t.diagnostic('not root: the owner cannot be given away, only kept by the user');
      return;
    }
    assert.deepEqual([stats.uid, stats.gid], [65534, 65534]);
  });

  test('a UTF-8 byte-order mark and CRLF line ends are kept', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const crlf = (text: string) => text.replace(/\n/g, '\r\n');
    const path = folder({ Dockerfile: Buffer.concat([bom, Buffer.from(crlf(FIXABLE))]) });
    assert.equal(cli(path, ['lint', '--fix', 'Dockerfile']).status, 0);
    const written = readFileSync(join(path, 'Dockerfile'));
    assert.deepEqual(written, Buffer.concat([bom, Buffer.from(crlf(FIXED))]));
  });

  test('a line added after the read is not lost: the write is refused, the file kept', () => {
    const path = folder({ Dockerfile: FIXABLE });
    const file = join(path, 'Dockerfile');
    const result = cli(path, ['lint', '--fix', 'Dockerfile'], (read, text) => {
      appendFileSync(file, 'LABEL added=meanwhile\n');
      rewriteFile(read, text);
    });
    assert.equal(result.status, 2);
    assert.equal(readFileSync(file, 'utf8'), FIXABLE + 'LABEL added=meanwhile\n');
    assert.match(
      result.stderr,
      /^go-multistage: Dockerfile: not written back: it changed since it was read, so it is left as it is\n/,
    );
    assert.deepEqual(leftovers(path, ['Dockerfile']), []);
  });

  test('a file deleted after the read is not recreated', () => {
    const path = folder({ Dockerfile: FIXABLE });
    const file = join(path, 'Dockerfile');
    const result = cli(path, ['lint', '--fix', 'Dockerfile'], (read, text) => {
      rmSync(file);
      rewriteFile(read, text);
    });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Dockerfile: not written back: it was deleted since it was read/);
    assert.deepEqual(readdirSync(path), []);
  });

  test('a link swapped in after the read is refused: its target is not written', () => {
    // The victim holds the same bytes, so only the path check can tell.
    const path = folder({ Dockerfile: FIXABLE, victim: FIXABLE });
    const file = join(path, 'Dockerfile');
    const result = cli(path, ['lint', '--fix', 'Dockerfile'], (read, text) => {
      rmSync(file);
      symlinkSync(join(path, 'victim'), file);
      rewriteFile(read, text);
    });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /not written back: it now leads to .*victim, not to the file/);
    assert.equal(readFileSync(join(path, 'victim'), 'utf8'), FIXABLE);
    assert.equal(readlinkSync(file), join(path, 'victim'));
  });

  test('a path that was a link when read: the file it leads to is rewritten, the link stays', () => {
    const path = folder({ 'Dockerfile.real': FIXABLE });
    symlinkSync('Dockerfile.real', join(path, 'Dockerfile'));
    assert.equal(cli(path, ['lint', '--fix', 'Dockerfile']).status, 0);
    assert.ok(lstatSync(join(path, 'Dockerfile')).isSymbolicLink());
    assert.equal(readFileSync(join(path, 'Dockerfile.real'), 'utf8'), FIXED);
  });

  test('convert --write replaces the file whole, and refuses a file changed meanwhile', () => {
    const path = folder({ Dockerfile: SINGLE, Changed: SINGLE });
    chmodSync(join(path, 'Dockerfile'), 0o600);
    const converted = cli(path, ['convert', '--write', 'Dockerfile']);
    assert.equal(converted.status, 0, converted.stderr);
    assert.match(readFileSync(join(path, 'Dockerfile'), 'utf8'), /COPY --from=build/);
    assert.equal(statSync(join(path, 'Dockerfile')).mode & 0o777, 0o600);
    const refused = cli(path, ['convert', '--write', 'Changed'], (read, text) => {
      writeFileSync(join(path, 'Changed'), SINGLE + 'EXPOSE 8080\n');
      rewriteFile(read, text);
    });
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /Changed: not written back: it changed since it was read/);
    assert.equal(readFileSync(join(path, 'Changed'), 'utf8'), SINGLE + 'EXPOSE 8080\n');
    assert.deepEqual(leftovers(path, ['Dockerfile', 'Changed']), []);
  });
});

describe('write errors in a run over several files', () => {
  for (const code of ['EACCES', 'EFBIG', 'ENOSPC']) {
    test(`${code}: one line for the file, the others written, a summary, exit 2`, () => {
      const path = folder({
        'a.Dockerfile': FIXABLE,
        'b.Dockerfile': FIXABLE,
        'c.Dockerfile': FIXABLE,
      });
      const result = cli(
        path,
        ['lint', '--fix', 'a.Dockerfile', 'b.Dockerfile', 'c.Dockerfile'],
        (read, text) => {
          if (read.path.endsWith('b.Dockerfile')) {
            throw Object.assign(new Error(`${code}: simulated`), { code });
          }
          rewriteFile(read, text);
        },
      );
      assert.equal(result.status, 2);
      const errors = result.stderr.trimEnd().split('\n');
      assert.equal(errors.length, 2, result.stderr);
      assert.match(
        errors[0],
        new RegExp(
          `^go-multistage: b\\.Dockerfile: not written back: .*\\(${code}\\); it is left as it was$`,
        ),
      );
      assert.equal(
        errors[1],
        'go-multistage: 1 of 3 files to fix could not be written back (each is left as it was)',
      );
      assertNoStackTrace(result.stderr);
      assert.match(result.stdout, /fixed 2 problems in 2 files/);
      assert.equal(readFileSync(join(path, 'a.Dockerfile'), 'utf8'), FIXED);
      assert.equal(readFileSync(join(path, 'b.Dockerfile'), 'utf8'), FIXABLE);
      assert.equal(readFileSync(join(path, 'c.Dockerfile'), 'utf8'), FIXED);
    });
  }

  test('a real file-size limit (ulimit -f): the big file keeps its old text, the small one is fixed', () => {
    // Padding past the limit (2 blocks: 1 KiB or 2 KiB, by the shell's block size).
    const big = '# ' + 'x'.repeat(4096) + '\n' + FIXABLE;
    const path = folder({ 'big.Dockerfile': big, 'small.Dockerfile': FIXABLE });
    const result = spawnSync(
      '/bin/sh',
      [
        '-c',
        `ulimit -f 2 && exec "$0" "$@"`,
        process.execPath,
        CLI,
        'lint',
        '--fix',
        'big.Dockerfile',
        'small.Dockerfile',
      ],
      { cwd: path, encoding: 'utf8', timeout: 30_000 },
    );
    assert.equal(result.status, 2, result.stderr);
    assert.match(
      result.stderr,
      /^go-multistage: big\.Dockerfile: not written back: file too large .*\(EFBIG\); it is left as it was\n/,
    );
    assertNoStackTrace(result.stderr);
    assert.equal(readFileSync(join(path, 'big.Dockerfile'), 'utf8'), big);
    assert.equal(readFileSync(join(path, 'small.Dockerfile'), 'utf8'), FIXED);
    assert.deepEqual(leftovers(path, ['big.Dockerfile', 'small.Dockerfile']), []);
  });

  test('a folder it may not write in (as an unprivileged user): EACCES, the file untouched', (t) => {
    const path = folder({ Dockerfile: FIXABLE });
    chmodSync(join(path, 'Dockerfile'), 0o666);
    const asRoot = process.getuid?.() === 0;
    const user = asRoot ? { uid: 65534, gid: 65534 } : {};
    if (asRoot && run(['--version'], user).status !== 0) {
      t.skip('cannot run the CLI as an unprivileged user here');
      return;
    }
    if (!asRoot) chmodSync(path, 0o555);
    const result = run(['lint', '--fix', 'Dockerfile'], { cwd: path, ...user });
    chmodSync(path, 0o755);
    assert.equal(result.status, 2, result.stderr);
    assert.match(
      result.stderr,
      /Dockerfile: not written back: permission denied \(EACCES\); it is left as it was/,
    );
    assert.equal(readFileSync(join(path, 'Dockerfile'), 'utf8'), FIXABLE);
  });
});

describe('text from the Dockerfile on the terminal', () => {
  test('control characters in stage names and --from values are shown escaped', () => {
    const path = folder({
      Dockerfile: lines(
        'FROM golang:1.24 AS b\u001b[2Jx',
        'RUN CGO_ENABLED=0 go build -o /app .',
        'FROM scratch',
        'COPY --from=bad\u001b]0;owned\u0007\u009b31m /app /app',
        'CMD ["/app"]',
      ),
    });
    const result = run(['lint', 'Dockerfile'], {
      cwd: path,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    assert.equal(result.status, 1);
    assert.ok(
      [...result.stdout].every((c) => c === '\n' || escapeControls(c) === c),
      'only escaped control characters',
    );
    assert.match(result.stdout, /Stage "b\\u001b\[2Jx" is built only with `--target`/);
    assert.match(result.stdout, /named "bad\\u001b\]0;owned\\u0007\\u009b31m"/);
    // JSON escapes them as JSON does.
    const json = run(['lint', '--format', 'json', 'Dockerfile'], { cwd: path });
    assert.match(json.stdout, /b\\u001b\[2Jx/);
  });

  test('line breaks and bidirectional overrides cannot forge or reorder a line', () => {
    assert.equal(escapeControls('a\nb\rc\td'), 'a\\u000ab\\u000dc\\u0009d');
    assert.equal(escapeControls('x\u202ey\u2066z'), 'x\\u202ey\\u2066z');
    assert.equal(escapeControls('plain ünïcode ✓'), 'plain ünïcode ✓');
  });

  test('convert: the reason and the notes are escaped too', () => {
    const path = folder({ Dockerfile: 'FROM alpine AS a\u001b[2J\nRUN echo hi\n' });
    const result = run(['convert', 'Dockerfile'], { cwd: path });
    assert.equal(result.status, 3);
    assert.ok(!result.stderr.includes('\u001b'));
  });
});

describe('inputs and outputs that are not files', () => {
  test('a FIFO given as the Dockerfile is refused at once, not waited on', () => {
    const path = folder();
    const fifo = join(path, 'Dockerfile');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    for (const command of ['lint', 'convert']) {
      const result = run([command, 'Dockerfile'], { cwd: path, timeout: 10_000 });
      assert.equal(result.status, 2, `${command}: ${result.stderr}`);
      assert.match(result.stderr, /^go-multistage: .*Dockerfile is not a regular file\n$/);
    }
  });

  test('a link to a device is refused', () => {
    const path = folder();
    symlinkSync('/dev/zero', join(path, 'Dockerfile'));
    const result = run(['lint', 'Dockerfile'], { cwd: path });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /is not a regular file/);
  });

  test('a go.mod or .dockerignore that is a link to a device: skipped, with a note', () => {
    const path = folder({ Dockerfile: FIXABLE });
    symlinkSync('/dev/zero', join(path, 'go.mod'));
    symlinkSync('/dev/zero', join(path, '.dockerignore'));
    const result = run(['lint', 'Dockerfile'], { cwd: path, timeout: 10_000 });
    assert.equal(result.status, 1, result.stderr);
    assert.deepEqual(result.stderr.trimEnd().split('\n').sort(), [
      `note: skipped ${join(path, '.dockerignore')}: a link to /dev/zero, outside ${path}`,
      `note: skipped ${join(path, 'go.mod')}: not a regular file`,
    ]);
    assert.match(result.stdout, /shell-form-without-shell/);
  });

  test('binary bytes on standard input: not UTF-8 text, exit 2, as for a file', () => {
    const bytes = Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xff, 0xfe, 0x00, 0xc3, 0x0a]);
    for (const command of ['lint', 'convert']) {
      const result = run([command, '-'], { input: bytes });
      assert.equal(result.status, 2, command);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr, 'go-multistage: <stdin> is not UTF-8 text\n');
    }
  });

  test('a closed stdout (| head) ends the run quietly', async () => {
    // Thousands of hint lines: far more than a pipe holds.
    const stages: string[] = [];
    for (let i = 0; i < 3000; i++)
      stages.push(`FROM golang:1.24 AS stage${i}`, `RUN go build -o /a${i} .`);
    const path = folder({ Dockerfile: lines(...stages, 'CMD ["/a0"]') });
    const child = spawn(process.execPath, [CLI, 'lint', 'Dockerfile'], { cwd: path });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Read the first line, as `head -1` would, and close the pipe.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(stderr, '');
    // The findings are hints: the status the run decided, not a crash's.
    assert.equal(status, 0);
  });
});

describe('a Dockerfile of megabytes', () => {
  test('is checked a few stages at a time, and a note on stderr says so', () => {
    const stages: string[] = [];
    for (let i = 0; i < 5000; i++)
      stages.push(`FROM golang:1.24 AS build${i}`, `RUN go build -o /a${i} .`);
    const path = folder({ Dockerfile: lines(...stages, 'FROM scratch', 'RUN ls') });
    for (const format of ['text', 'json']) {
      const result = cli(path, ['lint', '--format', format, 'Dockerfile']);
      assert.equal(result.status, 1, result.stderr);
      assert.match(
        result.stderr,
        /^note: Dockerfile: This Dockerfile is larger than 256 KiB \(\d+ KiB\): it was checked a few stages at a time/,
      );
      assert.match(result.stdout, /run-without-shell/);
    }
  });
});

describe('arguments', () => {
  test('`--` ends the options: a file may start with dashes', () => {
    const path = folder({ '--fix': FIXABLE });
    const result = cli(path, ['lint', '--', '--fix']);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /^--fix:5:\d+ error shell-form-without-shell /m);
    assert.equal(readFileSync(join(path, '--fix'), 'utf8'), FIXABLE, 'not taken as --fix');
  });

  test('the same file named twice (a, ./a, a glob) is linted once', () => {
    const path = folder({ 'a.Dockerfile': FIXABLE });
    const result = cli(path, [
      'lint',
      '--format',
      'json',
      'a.Dockerfile',
      './a.Dockerfile',
      '*.Dockerfile',
    ]);
    assert.deepEqual(
      (JSON.parse(result.stdout) as { file: string }[]).map((r) => r.file),
      ['a.Dockerfile'],
    );
  });
});
