import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ErrorCodes,
  ExecuteCommandRequest,
  LSPErrorCodes,
  ResponseError,
  TextDocumentEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../../server/src/core/text/edits';
import { TestClient, uri } from '../support/lsp-client';
import { crlf, MULTI_STAGE } from '../support/stage-texts';

const SINGLE_STAGE = [
  'FROM golang:1.24',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o server ./cmd/server',
  'EXPOSE 8080',
  'CMD ["./server"]',
  '',
].join('\n');

function apply(text: string, edit: WorkspaceEdit, doc: string, version: number): string {
  const change = edit.documentChanges?.[0];
  assert.ok(change && TextDocumentEdit.is(change));
  assert.equal(change.textDocument.uri, doc);
  assert.equal(change.textDocument.version, version);
  return applyEdits(
    text,
    change.edits.map((e) => {
      assert.ok('newText' in e);
      return e;
    }),
  );
}

function failsWith(code: number, message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ResponseError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  };
}

describe('workspace/executeCommand', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  function run(command: string, args: unknown) {
    return client.connection.sendRequest(ExecuteCommandRequest.type, {
      command,
      arguments: [args],
    });
  }

  test('listConvertRuntimes: the runtimes that fit, the configured default first', async () => {
    const doc = uri('command/list.Dockerfile');
    await client.open(doc, SINGLE_STAGE);
    const { runtimes } = (await run('go-multistage.listConvertRuntimes', {
      uri: doc,
      version: 1,
    })) as {
      runtimes: { image: string; label: string; isDefault: boolean }[];
    };
    assert.deepEqual(
      runtimes.map((r) => [r.image, r.isDefault]),
      // Not a file on disk, so no sources to read: distroless's root tag, as the original ran.
      [
        ['gcr.io/distroless/static-debian13', true],
        ['scratch', false],
        ['alpine:3.24', false],
      ],
    );
  });

  test('convert: the server applies a versioned edit for the chosen runtime', async () => {
    const doc = uri('command/convert.Dockerfile');
    await client.open(doc, SINGLE_STAGE);
    const before = client.appliedEdits.length;
    const result = (await run('go-multistage.convert', {
      uri: doc,
      version: 1,
      runtimeImage: 'scratch',
      layout: 'two-stage',
    })) as { applied: boolean; runtimeImage: string; edit: WorkspaceEdit };
    assert.equal(result.applied, true);
    assert.equal(result.runtimeImage, 'scratch');
    assert.equal(client.appliedEdits.length, before + 1);
    const sent = client.appliedEdits[before];
    assert.equal(sent.label, 'Convert to multi-stage');
    const converted = apply(SINGLE_STAGE, sent.edit, doc, 1);
    assert.match(converted, /^FROM golang:1\.24 AS build$/m);
    assert.match(converted, /^FROM scratch$/m);
    assert.deepEqual(result.edit, sent.edit);
  });

  test('convert with apply: false only returns the edit; runtime and layout default to the settings', async () => {
    const doc = uri('command/return.Dockerfile');
    await client.open(doc, crlf(SINGLE_STAGE));
    await client.changeSettings({
      runtimeImage: 'alpine:3.24',
      convertLayout: 'dev-build-runtime',
    });
    try {
      const before = client.appliedEdits.length;
      const result = (await run('go-multistage.convert', { uri: doc, apply: false })) as {
        applied: boolean;
        runtimeImage: string;
        edit: WorkspaceEdit;
      };
      assert.equal(result.applied, false);
      assert.equal(client.appliedEdits.length, before);
      assert.equal(result.runtimeImage, 'alpine:3.24');
      assert.match(apply(crlf(SINGLE_STAGE), result.edit, doc, 1), /\r\nFROM alpine:3\.24\r\n/);
    } finally {
      await client.changeSettings({});
    }
  });

  test('a client that refuses the edit: applied false, with its reason', async () => {
    const doc = uri('command/refused.Dockerfile');
    await client.open(doc, SINGLE_STAGE);
    client.applyEditResult = { applied: false, failureReason: 'the document changed' };
    try {
      const result = (await run('go-multistage.convert', { uri: doc, version: 1 })) as {
        applied: boolean;
        failureReason?: string;
      };
      assert.deepEqual([result.applied, result.failureReason], [false, 'the document changed']);
    } finally {
      client.applyEditResult = { applied: true };
    }
  });

  test('errors: a stale version, a file that cannot be converted, bad arguments', async () => {
    const doc = uri('command/errors.Dockerfile');
    await client.open(doc, SINGLE_STAGE);
    await client.change(doc, SINGLE_STAGE + '# changed\n');
    await assert.rejects(
      run('go-multistage.convert', { uri: doc, version: 1 }),
      failsWith(LSPErrorCodes.ContentModified, /changed/),
    );
    const multi = uri('command/multi.Dockerfile');
    await client.open(multi, MULTI_STAGE);
    await assert.rejects(
      run('go-multistage.listConvertRuntimes', { uri: multi }),
      failsWith(
        LSPErrorCodes.RequestFailed,
        /^Cannot convert to multi-stage: the final stage is not based on a Go toolchain image/,
      ),
    );
    await assert.rejects(
      run('go-multistage.convert', { uri: multi }),
      failsWith(LSPErrorCodes.RequestFailed, /^Cannot convert to multi-stage: /),
    );
    await assert.rejects(
      run('go-multistage.convert', {}),
      failsWith(ErrorCodes.InvalidParams, /needs \{uri\}/),
    );
    await assert.rejects(
      run('go-multistage.convert', { uri: doc, layout: 'three' }),
      failsWith(ErrorCodes.InvalidParams, /Unknown layout/),
    );
    await assert.rejects(
      run('go-multistage.convert', { uri: uri('command/not-open.Dockerfile') }),
      failsWith(LSPErrorCodes.RequestFailed, /is not open/),
    );
  });
});
