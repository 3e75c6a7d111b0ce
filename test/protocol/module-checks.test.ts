/**
 * The checks between the Dockerfile and the module over the protocol: the server finds the
 * build context of an open Dockerfile in the workspace and reads the module's Go sources.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { TestClient } from '../support/lsp-client';
import { shopDockerfile, shopTree, writeTree, type Tree } from '../support/module-trees';

const RULES = new Set([
  'go-build-vcs-without-git',
  'go-ldflags-x-ineffective',
  'go-module-file-not-in-context',
  'go-workspace-not-copied',
]);

async function diagnose(
  tree: Tree,
  /** Told the server's log lines, with the workspace folder. */
  logs?: (lines: readonly string[], workspace: string) => void,
): Promise<{ code: string; line: number; message: string }[]> {
  const workspace = writeTree(tree);
  try {
    const client = await TestClient.start({ workspaceFolder: workspace });
    try {
      const path = join(workspace, 'Dockerfile');
      const doc = pathToFileURL(path).href;
      await client.open(doc, readFileSync(path, 'utf8'));
      const diagnostics = await client.diagnostics(doc);
      logs?.(client.logs, workspace);
      return diagnostics
        .filter((d) => RULES.has(String(d.code)))
        .map((d) => ({
          code: String(d.code),
          line: d.range.start.line + 1,
          message: String(d.message),
        }));
    } finally {
      await client.stop();
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

describe('module checks over the protocol', () => {
  test('an -X that sets nothing, and a COPY of a go.sum the module does not have', async () => {
    const found = await diagnose(shopTree(shopDockerfile('-X main.Version=1', true)));
    assert.deepEqual(
      found.map((d) => [d.code, d.line]),
      [
        ['go-module-file-not-in-context', 3],
        ['go-ldflags-x-ineffective', 6],
      ],
    );
    assert.match(
      found[1].message,
      /It is declared as -X example\.com\/shop\/internal\/version\.Version\.$/,
    );
  });

  test('a Dockerfile that fits its module draws neither', async () => {
    const tree = shopTree(shopDockerfile('-X main.version=1', true), { 'go.sum': '' });
    assert.deepEqual(await diagnose(tree), []);
  });

  test('a workspace module built without its go.work', async () => {
    const found = await diagnose({
      'go.work': 'go 1.24\n\nuse (\n\t./api\n\t./lib\n)\n',
      'api/go.mod': 'module example.com/api\n\ngo 1.24\n\nrequire example.com/lib v0.0.0\n',
      'api/main.go': 'package main\n\nfunc main() {}\n',
      'lib/go.mod': 'module example.com/lib\n\ngo 1.24\n',
      Dockerfile: 'FROM golang:1.24\nWORKDIR /src\nCOPY api/ ./\nRUN go build -o /app .\n',
    });
    assert.deepEqual(
      found.map((d) => [d.code, d.line]),
      [['go-workspace-not-copied', 4]],
    );
  });

  test('a .git that .dockerignore leaves incomplete, and a whole one', async () => {
    const repository: Tree = {
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/objects/pack/pack-1.pack': '',
      'go.mod': 'module example.com/app\n\ngo 1.24\n',
      'main.go': 'package main\n\nfunc main() {}\n',
      Dockerfile: 'FROM golang:1.24\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n',
    };
    const found = await diagnose({ ...repository, '.dockerignore': '.git/*\n!.git/HEAD\n' });
    assert.deepEqual(
      found.map((d) => [d.code, d.line]),
      [['go-build-vcs-without-git', 4]],
    );
    assert.match(found[0].message, /a \.git that \.dockerignore leaves incomplete/);
    assert.deepEqual(await diagnose(repository), []);
  });

  test('Go sources set aside are logged, and the -X check is silent on a package that does not parse', async () => {
    let lines: readonly string[] = [];
    let root = '';
    const found = await diagnose(
      shopTree(shopDockerfile('-X main.Nothing=1', true), {
        'go.sum': '',
        'cmd/shop/gen.go': '//go:build ignore\n\npackage main\n',
        'cmd/shop/broken.go': 'func helper() {\n',
      }),
      (logs, workspace) => {
        lines = [...logs];
        root = workspace;
      },
    );
    assert.deepEqual(found, []);
    const skipped = lines.filter((l) => l.startsWith('go-multistage: skipped'));
    assert.deepEqual(skipped.sort(), [
      `go-multistage: skipped ${join(root, 'cmd/shop/broken.go')}: not Go that compiles: no package clause`,
      `go-multistage: skipped ${join(root, 'cmd/shop/gen.go')}: built only on request (//go:build ignore)`,
    ]);
  });
});
