/** Document links over the protocol: targets are file URIs in the build context on disk. */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { DocumentLinkRequest } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../support/lsp-client';
import { writeTree } from '../support/module-trees';

const DOCKERFILE = [
  'FROM golang:1.24 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -ldflags "-X main.version=1" -o /out/api ./cmd/api',
  'FROM scratch',
  'COPY --from=build /out/api /api',
  'ENTRYPOINT ["/api"]',
  '',
].join('\n');

describe('textDocument/documentLink', () => {
  test('package and -X symbol to the files on disk, -o and the program to their lines', async () => {
    const workspace = writeTree({
      'go.mod': 'module example.com/shop\n\ngo 1.24\n',
      'cmd/api/main.go': 'package main\n\nvar version string\n\nfunc main() {}\n',
      Dockerfile: DOCKERFILE,
    });
    try {
      const client = await TestClient.start({ workspaceFolder: workspace });
      try {
        const doc = pathToFileURL(join(workspace, 'Dockerfile')).href;
        await client.open(doc, DOCKERFILE);
        const links =
          (await client.connection.sendRequest(DocumentLinkRequest.type, {
            textDocument: { uri: doc },
          })) ?? [];
        const main = pathToFileURL(join(workspace, 'cmd/api/main.go')).href;
        assert.deepEqual(
          links.map((l) => [l.range.start.line, l.target]),
          [
            [3, `${main}#L3`],
            [3, `${doc}#L6`],
            [3, main],
            [6, `${doc}#L6`],
          ],
        );
      } finally {
        await client.stop();
      }
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
