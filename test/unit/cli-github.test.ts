/**
 * `lint --format github`: one GitHub Actions workflow command per finding, escaped so that
 * nothing quoted from the repository can end the command early or forge another one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { escapeData, escapeProperty } from '../../server/src/cli/github';
import { main, type Io } from '../../server/src/cli/main';
import { rewriteFile } from '../../server/src/node/file-rewrite';
import { lines } from '../support/rule-tester';

let dir: string;

function cli(args: string[]): { status: number; stdout: string } {
  let stdout = '';
  const io: Io = {
    stdout: (t) => (stdout += t),
    stderr: () => undefined,
    cwd: dir,
    readStdin: () => '',
    writeFile: rewriteFile,
    color: false,
  };
  return { status: main(args, io), stdout };
}

/** Reads a workflow command back as the runner does: properties split at `,`, then unescaped. */
function parse(line: string): {
  command: string;
  properties: Map<string, string>;
  message: string;
} {
  const match = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  assert.ok(match, `a workflow command: ${line}`);
  const unescape = (t: string) =>
    t
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%3A/g, ':')
      .replace(/%2C/g, ',')
      .replace(/%25/g, '%');
  const properties = new Map(
    match[2].split(',').map((p) => {
      const eq = p.indexOf('=');
      return [p.slice(0, eq), unescape(p.slice(eq + 1))] as [string, string];
    }),
  );
  return { command: match[1], properties, message: unescape(match[3]) };
}

describe('lint --format github', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gm-github-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('escapes data and properties as the runner reads them', () => {
    assert.equal(escapeData('100% a\r\nb::c'), '100%25 a%0D%0Ab::c');
    assert.equal(escapeProperty('a,b:c%'), 'a%2Cb%3Ac%25');
    // Other control characters are written out, never passed to the log.
    assert.equal(escapeData('a\u001b[2Jb'), 'a\\u001b[2Jb');
  });

  test('one annotation per finding, with its level, place and rule', () => {
    writeFileSync(
      join(dir, 'Dockerfile'),
      lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM gcr.io/distroless/static-debian12:nonroot',
        'COPY --from=biuld /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    );
    const run = cli(['lint', '--format', 'github', 'Dockerfile']);
    assert.equal(run.status, 1);
    const annotations = run.stdout.trimEnd().split('\n').map(parse);
    const unknown = annotations.find((a) =>
      a.properties.get('title')?.endsWith('copy-from-unknown-stage'),
    );
    assert.ok(unknown, run.stdout);
    assert.equal(unknown.command, 'error');
    assert.equal(unknown.properties.get('file'), 'Dockerfile');
    assert.equal(unknown.properties.get('line'), '4');
    assert.equal(unknown.properties.get('col'), '13');
    assert.equal(unknown.properties.get('title'), 'go-multistage copy-from-unknown-stage');
    assert.match(unknown.message, /biuld/);
  });

  test('a file name and a message quoting the repository cannot break the command', () => {
    const name = 'a,b:c.Dockerfile';
    writeFileSync(
      join(dir, name),
      lines('FROM golang:1.24 AS build', 'FROM alpine:3.20', 'COPY --from=biuld%0A /a /a'),
    );
    const run = cli(['lint', '--format', 'github', name]);
    const lines_ = run.stdout.trimEnd().split('\n');
    for (const line of lines_) {
      const annotation = parse(line);
      assert.equal(annotation.properties.get('file'), name);
      assert.ok(!annotation.message.includes('\n'), 'the runner would not decode a newline');
    }
    const unknown = lines_.map(parse).find((a) => a.message.includes('biuld%0A'));
    assert.ok(unknown, `the stage name comes back as written: ${run.stdout}`);
  });
});
