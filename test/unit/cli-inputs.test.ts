// The command line on inputs it cannot use: each gets a one-line reason on stderr, nothing on
// stdout and exit status 2. An empty Dockerfile is not an error: like any Dockerfile without Go,
// it has nothing to report (exit 0, no findings) and nothing to convert (exit 3, with the reason).
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ROOT } from '../support/fixtures';

const CLI = join(ROOT, 'server', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'go-multistage-cli-'));
chmodSync(dir, 0o755);
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function cli(args: string[], options: SpawnSyncOptions = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    ...options,
  });
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Exit 2, nothing on stdout, and one `go-multistage:` line on stderr that matches. */
function expectInputError(args: string[], reason: RegExp, options?: SpawnSyncOptions): void {
  const result = cli(args, options);
  assert.equal(result.status, 2, `exit status; stderr: ${result.stderr}`);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr: ${result.stderr}`);
  assert.match(lines[0], /^go-multistage: /);
  assert.match(lines[0], reason);
  assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
}

const GOOD = 'FROM golang:1.22\nRUN go build -o /app .\nCMD ["/app"]\n';

describe('the CLI on inputs it cannot use', () => {
  for (const command of ['lint', 'convert']) {
    describe(command, () => {
      test('a path that does not exist', () => {
        expectInputError([command, join(dir, 'missing.Dockerfile')], /not found/);
      });

      test('a directory', () => {
        mkdirSync(join(dir, 'a-folder'), { recursive: true });
        // lint looks for Dockerfiles in it; convert takes one file.
        expectInputError(
          [command, join(dir, 'a-folder')],
          command === 'lint' ? /no Dockerfile in the folder/ : /is a directory/,
        );
      });

      test('a path through a file', () => {
        const plain = file('plain.txt', 'x');
        expectInputError([command, join(plain, 'Dockerfile')], /cannot read .*ENOTDIR/);
      });

      test('Latin-1 bytes', () => {
        const path = file(
          `latin1-${command}.Dockerfile`,
          Buffer.from('FROM golang\xe9\n', 'latin1'),
        );
        expectInputError([command, path], /is not UTF-8 text/);
      });

      test('UTF-16 text', () => {
        const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, 'utf16le')]);
        expectInputError(
          [command, file(`utf16-${command}.Dockerfile`, utf16)],
          /is not UTF-8 text/,
        );
      });

      test('a file it may not read', (t) => {
        const path = file(`secret-${command}.Dockerfile`, GOOD);
        chmodSync(path, 0o000);
        // root reads anything: run the CLI as nobody then.
        const asRoot = process.getuid?.() === 0;
        const probe = asRoot ? cli(['--help'], { uid: 65534, gid: 65534 }) : { status: 0 };
        if (probe.status !== 0) {
          t.skip('cannot run the CLI as an unprivileged user here');
          return;
        }
        expectInputError(
          [command, path],
          /permission denied|EACCES/,
          asRoot ? { uid: 65534, gid: 65534 } : {},
        );
      });
    });
  }

  test('lint: a missing file among good ones fails the run', () => {
    expectInputError(['lint', file('good.Dockerfile', GOOD), join(dir, 'nope')], /not found/);
  });

  test('lint: an unreadable --go-mod or --context', () => {
    const good = file('good2.Dockerfile', GOOD);
    expectInputError(['lint', '--go-mod', join(dir, 'no-go.mod'), good], /cannot read go\.mod/);
    expectInputError(['lint', '--context', join(dir, 'no-context'), good], /build context/);
  });
});

describe('the CLI on an empty Dockerfile', () => {
  for (const [name, content] of [
    ['empty', ''],
    ['blank', '\n \r\n\t\n'],
    ['bom-only', '\uFEFF'],
  ] as const) {
    test(`lint: ${name} has nothing to report`, () => {
      const path = file(`${name}.Dockerfile`, content);
      const text = cli(['lint', path]);
      assert.equal(text.status, 0);
      assert.equal(text.stderr, '');
      // No finding line (`file:line:column severity rule message`), at most a summary.
      assert.doesNotMatch(text.stdout, /:\d+:\d+ /);
      const json = cli(['lint', '--format', 'json', path]);
      assert.equal(json.status, 0);
      assert.deepEqual(JSON.parse(json.stdout), [{ file: path, diagnostics: [] }]);
    });

    test(`convert: ${name} has nothing to convert`, () => {
      const result = cli(['convert', file(`${name}-c.Dockerfile`, content)]);
      assert.equal(result.status, 3);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /not converted: the Dockerfile has no FROM instruction/);
    });
  }
});
