import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  CompletionItemKind,
  CompletionRequest,
  InsertTextFormat,
  type CompletionItem,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../../server/src/core/text/edits';
import { TestClient } from '../support/lsp-client';
import { CURRENT_GO, CURRENT_GO_PATCH, OLDEST_SUPPORTED_GO } from '../support/go-versions';

describe('textDocument/completion', () => {
  let client: TestClient;
  let workspace: string;

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'go-multistage-completion-'));
    writeFileSync(
      join(workspace, 'go.mod'),
      `module example.com/orders\n\ngo ${CURRENT_GO_PATCH}\n`,
    );
    client = await TestClient.start({ workspaceFolder: workspace });
  });

  after(async () => {
    assert.equal(await client.stop(), 0);
    rmSync(workspace, { recursive: true, force: true });
  });

  async function complete(
    name: string,
    text: string,
    line: number,
    character: number,
  ): Promise<CompletionItem[]> {
    const doc = pathToFileURL(join(workspace, name)).href;
    await client.open(doc, text);
    const result = await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: doc },
      position: { line, character },
    });
    if (!result) return [];
    return Array.isArray(result) ? result : result.items;
  }

  test('offers the whole-file templates in an empty Dockerfile, pinned to go.mod', async () => {
    const items = await complete('Dockerfile', '', 0, 0);
    assert.deepEqual(
      items.map((i) => i.label),
      ['go-ms-distroless', 'go-ms-scratch', 'go-ms-alpine', 'go-ms-cgo', 'go-ms-dev'],
    );
    for (const item of items) {
      assert.equal(item.kind, CompletionItemKind.Snippet);
      assert.equal(item.insertTextFormat, InsertTextFormat.Snippet);
      assert.equal(typeof item.documentation, 'string');
      // The minor release of go.mod's go line, whose tag follows the patch releases.
      assert.equal(item.detail, `Whole Dockerfile, golang ${CURRENT_GO} (go.mod)`);
      const edit = item.textEdit as TextEdit;
      assert.ok(edit.newText.split('\n').includes(`ARG GO_VERSION=\${1:${CURRENT_GO}}`));
    }
  });

  test('replaces the prefix being typed and keeps the syntax directive at the top', async () => {
    const items = await complete('api.Dockerfile', '# API\ngo-ms', 1, 5);
    const edit = items[0].textEdit as TextEdit;
    assert.deepEqual(edit.range, {
      start: { line: 1, character: 0 },
      end: { line: 1, character: 5 },
    });
    assert.ok(!edit.newText.startsWith('# syntax'));
    assert.deepEqual(
      items[0].additionalTextEdits?.map((e) => e.newText),
      ['# syntax=docker/dockerfile:1\n'],
    );
  });

  test('offers nothing once the Dockerfile has instructions', async () => {
    const items = await complete('worker.Dockerfile', 'FROM golang:1.24.5 AS build\n', 1, 0);
    assert.deepEqual(items, []);
  });
});

describe('textDocument/completion: the order of the whole-file templates', () => {
  test('most wanted first, also without a go.mod and in the VS Code extension', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'go-multistage-completion-'));
    // The options the VS Code extension starts the server with.
    const client = await TestClient.start({
      workspaceFolder: workspace,
      initializationOptions: { convertCommandContributed: true, ruleDocsCommand: 'x.open' },
    });
    try {
      const doc = pathToFileURL(join(workspace, 'Dockerfile')).href;
      await client.open(doc, 'go-ms-d');
      const result = await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri: doc },
        position: { line: 0, character: 7 },
      });
      const items = Array.isArray(result) ? result : (result?.items ?? []);
      // An editor sorts items that match alike by sortText: distroless before dev for `go-ms-d`.
      const sorted = [...items].sort((a, b) =>
        (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label),
      );
      assert.deepEqual(
        sorted.map((i) => i.label),
        ['go-ms-distroless', 'go-ms-scratch', 'go-ms-alpine', 'go-ms-cgo', 'go-ms-dev'],
      );
      assert.ok(items.every((i) => /^golang \d+\.\d+/.test(i.labelDetails?.description ?? '')));
      // VS Code sorts an extension's own snippets by `z-<prefix>`: the templates come first.
      assert.ok(items.every((i) => (i.sortText ?? '') < 'z'));
    } finally {
      assert.equal(await client.stop(), 0);
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});

describe('textDocument/completion of stages, mounts, platform and golang tags', () => {
  let client: TestClient;
  let workspace: string;

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'go-multistage-stage-completion-'));
    writeFileSync(join(workspace, 'go.mod'), 'module example.com/orders\n\ngo 1.24.5\n');
    client = await TestClient.start({ workspaceFolder: workspace });
  });

  after(async () => {
    assert.equal(await client.stop(), 0);
    rmSync(workspace, { recursive: true, force: true });
  });

  /** Completions at the `|` of the text, and the text after accepting `label`. */
  async function complete(name: string, marked: string) {
    const cursor = marked.indexOf('|');
    const text = marked.slice(0, cursor) + marked.slice(cursor + 1);
    const before = text.slice(0, cursor).split(/\r\n|\n/);
    const doc = pathToFileURL(join(workspace, name)).href;
    await client.open(doc, text);
    const result = await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: doc },
      position: { line: before.length - 1, character: before[before.length - 1].length },
    });
    const items = result ? (Array.isArray(result) ? result : result.items) : [];
    return {
      items,
      labels: items.map((i) => i.label),
      accept(label: string): string {
        const edit = items.find((i) => i.label === label)?.textEdit as TextEdit | undefined;
        assert.ok(edit, `no ${label}`);
        return applyEdits(text, [edit]);
      },
    };
  }

  test('COPY --from= and COPY --from=bu: earlier stages with their base image', async () => {
    const stages = 'FROM golang:1.24.5 AS build\nFROM build AS test\nFROM alpine\n';
    const empty = await complete('Dockerfile.from', stages + 'COPY --from=| /out/app /app\n');
    assert.deepEqual(
      empty.items.map((i) => [i.label, i.detail, i.kind]),
      [
        ['test', 'FROM build', CompletionItemKind.Reference],
        ['build', 'golang:1.24.5', CompletionItemKind.Reference],
      ],
    );
    const half = await complete('Dockerfile.half', stages + 'COPY --from=bu|');
    assert.equal(half.accept('build'), stages + 'COPY --from=build');
  });

  test('RUN --mount=: the Go cache mounts', async () => {
    const { labels, accept } = await complete(
      'Dockerfile.mount',
      'FROM golang:1.24.5\nRUN --mount=| go build ./...\n',
    );
    assert.ok(labels.includes('type=cache,target=/go/pkg/mod'));
    assert.ok(labels.includes('type=cache,target=/root/.cache/go-build'));
    assert.ok(labels.some((l) => l.startsWith('type=bind,')));
    assert.ok(labels.some((l) => l.startsWith('type=secret,')));
    assert.equal(
      accept('type=cache,target=/root/.cache/go-build'),
      'FROM golang:1.24.5\nRUN --mount=type=cache,target=/root/.cache/go-build go build ./...\n',
    );
  });

  test('FROM golang: the tags of go.mod’s Go version; FROM --platform=', async () => {
    const tags = await complete('Dockerfile.tag', 'FROM golang:|');
    // go 1.24.5 in go.mod, out of support: the tags of the oldest supported release, which
    // follow its patch releases (golang-image-outdated would report golang:1.24).
    assert.equal(tags.labels[0], OLDEST_SUPPORTED_GO);
    assert.equal(
      tags.accept(`${OLDEST_SUPPORTED_GO}-alpine`),
      `FROM golang:${OLDEST_SUPPORTED_GO}-alpine`,
    );
    const platform = await complete('Dockerfile.platform', 'FROM --platform=|');
    assert.equal(platform.accept('$BUILDPLATFORM'), 'FROM --platform=$BUILDPLATFORM');
  });

  test('the templates still come in an empty file; CRLF and other lines give sensible results', async () => {
    const empty = await complete('Dockerfile.empty', '|');
    assert.ok(empty.labels.includes('go-ms-distroless'));
    const crlfItems = await complete(
      'Dockerfile.crlf',
      'FROM golang:1.24 AS build\r\nFROM alpine\r\nCOPY --from=|\r\n',
    );
    assert.deepEqual(crlfItems.labels, ['build']);
    assert.deepEqual((await complete('Dockerfile.env', 'FROM alpine\nENV A=|\n')).labels, []);
  });
});
