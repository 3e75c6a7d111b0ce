import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CodeLensRequest, type CodeLens } from 'vscode-languageserver-protocol/node';
import { sizeChange } from '../../server/src/core/facts/image-sizes';
import { DEFAULT_RUNTIME_IMAGE } from '../../server/src/core/model/images';
import { TestClient, uri } from '../support/lsp-client';
import { crlf, MULTI_STAGE } from '../support/stage-texts';

// The title gives the size change that the image data shipped with the extension says.
const TITLE = `Convert to multi-stage: ${sizeChange('golang:1.24', DEFAULT_RUNTIME_IMAGE)}`;

const SINGLE_STAGE = [
  '# syntax=docker/dockerfile:1',
  'ARG GO_VERSION=1.24',
  'FROM golang:${GO_VERSION}',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o server ./cmd/server',
  'CMD ["./server"]',
  '',
].join('\n');

async function lenses(client: TestClient, name: string, text: string): Promise<CodeLens[]> {
  const doc = uri(name);
  await client.open(doc, text);
  return (
    (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: doc } })) ??
    []
  );
}

describe('textDocument/codeLens', () => {
  test('Convert to multi-stage above the first FROM, running the server command elsewhere', async () => {
    const client = await TestClient.start();
    try {
      const found = await lenses(client, 'lens/Dockerfile', SINGLE_STAGE);
      assert.deepEqual(found, [
        {
          range: { start: { line: 2, character: 0 }, end: { line: 2, character: 4 } },
          command: {
            title: TITLE,
            command: 'go-multistage.convert',
            arguments: [{ uri: uri('lens/Dockerfile'), version: 1 }],
          },
        },
      ]);
      assert.equal((await lenses(client, 'lens/crlf.Dockerfile', crlf(SINGLE_STAGE))).length, 1);
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  test('also on a binary make writes, and on a golang final stage that copies the binary', async () => {
    const client = await TestClient.start();
    try {
      const made =
        'FROM golang:1.24-alpine\nWORKDIR /src\nCOPY . .\nRUN make build\nCMD ["./bin/server"]\n';
      assert.equal((await lenses(client, 'lens/make.Dockerfile', made)).length, 1);
      const copied =
        'FROM golang:1.24 AS build\nRUN go build -o /out/app .\nFROM golang:1.24\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n';
      const found = await lenses(client, 'lens/copied.Dockerfile', copied);
      assert.deepEqual(
        found.map((l) => [l.range.start.line, l.command?.title]),
        [[0, TITLE]],
      );
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  test('the size change: the image the final stage is on now, and the runtime it gets', async () => {
    assert.match(TITLE, /^Convert to multi-stage: ≈ \d+ MB → (≈ \d+ MB|< 1 MB)$/);
    const client = await TestClient.start({ settings: { runtimeImage: 'scratch' } });
    try {
      const alpine = SINGLE_STAGE.replace('golang:${GO_VERSION}', 'golang:${GO_VERSION}-alpine');
      const [lens] = await lenses(client, 'lens/alpine.Dockerfile', alpine);
      const change = sizeChange('golang:1.24-alpine', 'scratch');
      assert.match(change ?? '', /^≈ \d+ MB → 0 MB$/);
      assert.equal(lens.command?.title, `Convert to multi-stage: ${change}`);
      // A runtime the size data does not cover: no figures.
      await client.changeSettings({ runtimeImage: 'registry.example.com/base:1' });
      await client.until(() => client.codeLensRefreshes > 0, 'a code lens refresh');
      const [plain] = await lenses(client, 'lens/other.Dockerfile', SINGLE_STAGE);
      assert.equal(plain.command?.title, 'Convert to multi-stage');
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  test('none on a file that is already multi-stage, or has no stages', async () => {
    const client = await TestClient.start();
    try {
      assert.deepEqual(await lenses(client, 'lens/multi.Dockerfile', MULTI_STAGE), []);
      assert.deepEqual(await lenses(client, 'lens/empty.Dockerfile', ''), []);
      assert.deepEqual(await lenses(client, 'lens/half.Dockerfile', 'FROM golang:\n'), []);
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  test('in an editor with its own Convert command, the lens runs that command', async () => {
    const client = await TestClient.start({
      initializationOptions: { convertCommandContributed: true },
    });
    try {
      const [lens] = await lenses(client, 'lens/vscode.Dockerfile', SINGLE_STAGE);
      assert.deepEqual(lens.command, {
        title: TITLE,
        command: 'go-multistage.convertToMultiStage',
        arguments: [uri('lens/vscode.Dockerfile')],
      });
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  test('goMultistage.codeLens.enable: false turns it off, and the editor is told to refresh', async () => {
    const client = await TestClient.start();
    try {
      assert.equal((await lenses(client, 'lens/setting.Dockerfile', SINGLE_STAGE)).length, 1);
      await client.changeSettings({ codeLens: { enable: false } });
      await client.until(() => client.codeLensRefreshes > 0, 'a code lens refresh');
      assert.deepEqual(await lenses(client, 'lens/setting.Dockerfile', SINGLE_STAGE), []);
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});
