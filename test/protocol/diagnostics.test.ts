import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { TestClient, SERVER, uri } from '../support/lsp-client';
import { CURRENT_GO } from '../support/go-versions';

// Modules downloaded before the sources, caches mounted, a supported Go: only the toolchain in the
// final image is wrong here.
const SINGLE_STAGE = [
  `FROM golang:${CURRENT_GO}`,
  'WORKDIR /src',
  'COPY go.mod go.sum ./',
  'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
  'COPY . .',
  'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o server ./cmd/server',
  'CMD ["./server"]',
  '',
].join('\n');

describe('textDocument/diagnostic (pull)', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    assert.deepEqual(client.errors, []);
  });

  test('a single-stage Go Dockerfile gets the toolchain warning', async () => {
    const doc = uri('single/Dockerfile');
    await client.open(doc, SINGLE_STAGE);
    const diagnostics = await client.diagnostics(doc);
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.equal(d.code, 'go-toolchain-in-final-stage');
    assert.equal(d.source, 'go-multistage');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(d.range, {
      start: { line: 0, character: 5 },
      end: { line: 0, character: 16 },
    });
    // The rule's page installed beside the server: a file that exists, not a web address.
    const href = d.codeDescription?.href ?? '';
    assert.equal(href, pathToFileURL(join(dirname(SERVER), 'rules', `${d.code}.md`)).href);
    assert.match(readFileSync(fileURLToPath(href), 'utf8'), /^# go-toolchain-in-final-stage\n/);
  });

  test('an editor with its own way to open the rule pages gets links to its command', async () => {
    const own = await TestClient.start({
      initializationOptions: { ruleDocsCommand: 'editor.openRulePage' },
    });
    try {
      const doc = uri('command-links/Dockerfile');
      await own.open(doc, SINGLE_STAGE);
      const [d] = await own.diagnostics(doc);
      const href = d.codeDescription?.href ?? '';
      assert.equal(
        href,
        `command:editor.openRulePage?${encodeURIComponent('["go-toolchain-in-final-stage"]')}`,
      );
    } finally {
      assert.equal(await own.stop(), 0);
    }
  });

  test('diagnostics follow edits', async () => {
    const doc = uri('edited/Dockerfile');
    await client.open(doc, SINGLE_STAGE);
    assert.equal((await client.diagnostics(doc)).length, 1);
    await client.change(doc, SINGLE_STAGE + 'FROM scratch\nCOPY --from=biuld /x /x\n');
    const codes = (await client.diagnostics(doc)).map((d) => d.code);
    // The edit adds a stage that copies from a misspelt one, and the toolchain warning goes away
    // (other rules may also report the now unused first stage).
    assert.ok(codes.includes('copy-from-unknown-stage'), codes.join(', '));
    assert.ok(!codes.includes('go-toolchain-in-final-stage'), codes.join(', '));
  });

  test('a document the server has not seen gets an empty report', async () => {
    assert.deepEqual(await client.diagnostics(uri('never-opened/Dockerfile')), []);
  });

  test('a Dockerfile that builds no Go gets nothing', async () => {
    const doc = uri('node/Dockerfile');
    await client.open(doc, 'FROM node:22\nCOPY --from=bulid /x /x\nCMD node server.js\n');
    assert.deepEqual(await client.diagnostics(doc), []);
  });
});

describe('textDocument/publishDiagnostics (push, for clients without pull)', () => {
  test('open, change and close publish versioned diagnostics', async () => {
    const client = await TestClient.start({ pull: false });
    try {
      const doc = uri('push/Dockerfile');
      await client.open(doc, SINGLE_STAGE);
      const first = await client.until(
        () => client.published.find((p) => p.uri === doc && p.diagnostics.length === 1),
        'published diagnostics',
      );
      assert.equal(first.version, 1);
      assert.equal(first.diagnostics[0].code, 'go-toolchain-in-final-stage');
      await client.change(
        doc,
        `FROM golang:${CURRENT_GO} AS build\n` +
          'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n',
      );
      await client.until(
        () =>
          client.published.find(
            (p) =>
              p.uri === doc &&
              p.version === 2 &&
              // Other rules also report on this scratch image (root, certificates, zoneinfo).
              p.diagnostics.some((d) => d.code === 'cgo-libc-mismatch'),
          ),
        'diagnostics of version 2',
      );
      await client.close(doc);
      await client.until(
        () =>
          client.published.at(-1)?.uri === doc && client.published.at(-1)?.diagnostics.length === 0,
        'cleared diagnostics',
      );
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});
