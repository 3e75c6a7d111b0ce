import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DocumentSymbolRequest,
  SymbolKind,
  type DocumentSymbol,
} from 'vscode-languageserver-protocol/node';
import { TestClient, uri } from '../support/lsp-client';
import { crlf, MULTI_STAGE } from '../support/stage-texts';

function kindName(kind: SymbolKind): string {
  return Object.entries(SymbolKind).find(([, value]) => value === kind)?.[0] ?? String(kind);
}

function outline(symbols: DocumentSymbol[], depth = 0): string[] {
  return symbols.flatMap((s) => [
    `${'  '.repeat(depth)}${kindName(s.kind)} ${s.name}${s.detail ? ` — ${s.detail}` : ''}`,
    ...outline(s.children ?? [], depth + 1),
  ]);
}

describe('textDocument/documentSymbol', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  async function symbols(name: string, text: string): Promise<DocumentSymbol[]> {
    const doc = uri(name);
    await client.open(doc, text);
    const result = await client.connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri: doc },
    });
    return (result ?? []) as DocumentSymbol[];
  }

  test('a tree: global ARGs, then one node per stage with its instructions', async () => {
    const result = await symbols('outline/Dockerfile', MULTI_STAGE);
    assert.deepEqual(outline(result), [
      'Variable GO_VERSION — 1.24.5',
      'Class Build — golang:${GO_VERSION}',
      '  Namespace WORKDIR /src',
      '  Function RUN --mount=type=cache,target=/go/pkg/mod CGO_ENABLED=0 go…',
      'Class test — build',
      '  Function RUN --mount=type=bind,from=BUILD,target=/x go test ./...',
      'Class stage 2 — gcr.io/distroless/static-debian13:nonroot',
      '  File COPY --from=build /out/server /server',
      '  File COPY --from=0 /src/config.yaml /config.yaml',
      '  Event ENTRYPOINT ["/server"]',
    ]);
    const build = result[1];
    assert.deepEqual(build.selectionRange, {
      start: { line: 2, character: 29 },
      end: { line: 2, character: 34 },
    });
    assert.deepEqual(build.range, {
      start: { line: 2, character: 0 },
      end: { line: 5, character: 54 },
    });
  });

  test('CRLF documents give the same tree on the same lines', async () => {
    const lf = await symbols('outline/lf.Dockerfile', MULTI_STAGE);
    const crlfResult = await symbols('outline/crlf.Dockerfile', crlf(MULTI_STAGE));
    assert.deepEqual(crlfResult, lf);
  });

  test('a Dockerfile with no stages; a half-typed FROM', async () => {
    assert.deepEqual(await symbols('outline/empty.Dockerfile', ''), []);
    assert.deepEqual(outline(await symbols('outline/args.Dockerfile', 'ARG A\n')), ['Variable A']);
    assert.deepEqual(outline(await symbols('outline/half.Dockerfile', 'FROM golang:\n')), [
      'Class stage 0 — golang:',
    ]);
  });
});
