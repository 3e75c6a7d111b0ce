/**
 * Completions that read the module over the protocol: the server lists the build context of an
 * open Dockerfile and offers its main packages after `go build`, and the declared ARGs after `${`.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import {
  CompletionItemKind,
  CompletionRequest,
  type CompletionItem,
} from 'vscode-languageserver-protocol/node';
import { TestClient } from '../support/lsp-client';
import { writeTree } from '../support/module-trees';

const DOCKERFILE = [
  'ARG GO_VERSION=1.24.5',
  'FROM golang:${GO_VERSION} AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o /out/api ./',
  '',
].join('\n');

async function completeAt(line: number, character: number): Promise<CompletionItem[]> {
  const workspace = writeTree({
    'go.mod': 'module example.com/shop\n\ngo 1.24\n',
    'cmd/api/main.go': 'package main\n\nfunc main() {}\n',
    'cmd/cli/main.go': 'package main\n\nfunc main() {}\n',
    'internal/db/db.go': 'package db\n',
    Dockerfile: DOCKERFILE,
  });
  try {
    const client = await TestClient.start({ workspaceFolder: workspace });
    try {
      const doc = pathToFileURL(join(workspace, 'Dockerfile')).href;
      await client.open(doc, DOCKERFILE);
      const result = await client.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri: doc },
        position: { line, character },
      });
      return Array.isArray(result) ? result : (result?.items ?? []);
    } finally {
      await client.stop();
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

describe('module-aware completion over the protocol', () => {
  test('main packages of the module after go build, from the files on disk', async () => {
    const items = await completeAt(4, 'RUN go build -o /out/api ./'.length);
    const packages = items.filter((i) => i.kind === CompletionItemKind.Module);
    assert.deepEqual(
      packages.map((i) => i.label),
      ['./cmd/api', './cmd/cli'],
    );
  });

  test('the global ARG inside ${ in FROM', async () => {
    const items = await completeAt(1, 'FROM golang:${'.length);
    const variables = items.filter((i) => i.kind === CompletionItemKind.Variable);
    assert.deepEqual(
      variables.map((i) => [i.label, i.detail]),
      [['GO_VERSION', 'ARG (global) = 1.24.5']],
    );
  });
});
