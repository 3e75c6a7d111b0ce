import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionRequest,
  TextDocumentEdit,
  type CodeAction,
  type Diagnostic,
} from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../../server/src/core/text/edits';
import { TestClient, uri } from '../support/lsp-client';
import { CURRENT_GO } from '../support/go-versions';

// Modules downloaded before the sources, caches mounted, a supported Go: only the toolchain in the
// final image is wrong here.
const SINGLE_STAGE = [
  '# syntax=docker/dockerfile:1',
  `FROM golang:${CURRENT_GO}`,
  'WORKDIR /src',
  'COPY go.mod go.sum ./',
  'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
  'COPY . .',
  'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o server ./cmd/server',
  'EXPOSE 8080',
  'CMD ["./server"]',
  '',
].join('\n');

function editOf(action: CodeAction, doc: string, version: number) {
  const changes = action.edit?.documentChanges ?? [];
  assert.equal(changes.length, 1);
  const change = changes[0];
  assert.ok(TextDocumentEdit.is(change));
  assert.equal(change.textDocument.uri, doc);
  assert.equal(change.textDocument.version, version, 'the edit carries the document version');
  return change.edits.map((edit) => {
    assert.ok('newText' in edit, 'a plain text edit');
    return edit;
  });
}

describe('textDocument/codeAction', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  async function actions(doc: string, diagnostics: Diagnostic[], only?: string[]) {
    return (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: doc },
      range: diagnostics[0]?.range ?? {
        start: { line: 0, character: 0 },
        end: { line: 0, character: 0 },
      },
      context: { diagnostics, only },
    })) as CodeAction[];
  }

  test('Convert to multi-stage: the warning arrives, the edit is applied, the warning is gone', async () => {
    // A module on disk: the server reads the program's sources from the build context, sees that
    // it writes nothing, and gives it distroless's non-root user.
    const workspace = mkdtempSync(join(tmpdir(), 'gm-code-action-'));
    after(() => rmSync(workspace, { recursive: true, force: true }));
    mkdirSync(join(workspace, 'cmd', 'server'), { recursive: true });
    writeFileSync(join(workspace, 'go.mod'), 'module example.com/server\n\ngo 1.24\n');
    writeFileSync(join(workspace, 'go.sum'), '');
    writeFileSync(
      join(workspace, 'cmd', 'server', 'main.go'),
      'package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe(":8080", nil) }\n',
    );
    writeFileSync(join(workspace, 'Dockerfile'), SINGLE_STAGE);
    const doc = pathToFileURL(join(workspace, 'Dockerfile')).href;
    await client.open(doc, SINGLE_STAGE);
    const diagnostics = await client.diagnostics(doc);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['go-toolchain-in-final-stage'],
    );
    const offered = await actions(doc, diagnostics);
    const quickfix = offered.find(
      (a) => a.kind === 'quickfix' && a.title === 'Convert to multi-stage',
    );
    assert.ok(quickfix, 'offered as a quick fix on the warning');
    // Once in the Ctrl+. menu: the refactoring is left out when the quick fix is there...
    assert.equal(offered.filter((a) => a.title === 'Convert to multi-stage').length, 1);
    // ...and offered in the refactoring menu.
    const refactor = (await actions(doc, [], ['refactor'])).find(
      (a) => a.kind === 'refactor.rewrite' && a.title === 'Convert to multi-stage',
    );
    assert.ok(refactor, 'offered as a refactoring');
    assert.deepEqual(quickfix.diagnostics, diagnostics);
    // What the conversion decided goes with the edit, as a change annotation with the notes.
    for (const action of [quickfix, refactor]) {
      const annotation = Object.values(action.edit?.changeAnnotations ?? {})[0];
      assert.equal(annotation?.label, 'Convert to multi-stage');
      assert.match(annotation?.description ?? '', /non-root user: its Go sources write nothing/);
    }
    const converted = applyEdits(SINGLE_STAGE, editOf(quickfix, doc, 1));
    assert.ok(converted.includes(`FROM golang:${CURRENT_GO} AS build\n`));
    assert.match(
      converted,
      /FROM gcr\.io\/distroless\/static-debian13:nonroot\nWORKDIR \/src\nCOPY --from=build \/src\/server \/src\/server\n/,
    );
    await client.change(doc, converted);
    assert.deepEqual(await client.diagnostics(doc), []);
    // Nothing to convert any more.
    assert.deepEqual(await actions(doc, [], ['refactor.rewrite']), []);
  });

  test('a quick fix carries the current version; stale diagnostics get no fix', async () => {
    const doc = uri('typo/Dockerfile');
    const text =
      'FROM golang:1.24 AS build\nRUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=biuld /app /app\nENTRYPOINT ["/app"]\n';
    await client.open(doc, text);
    const version = await client.change(doc, text);
    const diagnostics = (await client.diagnostics(doc)).filter(
      (d) => d.code === 'copy-from-unknown-stage',
    );
    const offered = await actions(doc, diagnostics, ['quickfix']);
    assert.deepEqual(
      offered.map((a) => a.title),
      ['Copy from stage "build"', 'Disable copy-from-unknown-stage for this instruction'],
    );
    const fixed = applyEdits(text, editOf(offered[0], doc, version));
    assert.match(fixed, /COPY --from=build \/app \/app/);
    // The document moved on: the old diagnostic's range no longer matches a finding.
    await client.change(doc, '\n\n' + text);
    assert.deepEqual(await actions(doc, diagnostics, ['quickfix']), []);
  });

  test('a suppression fix inserts the pragma above the instruction', async () => {
    const doc = uri('suppress/Dockerfile');
    const text =
      'FROM golang:1.24 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=biuld /app /app\n';
    await client.open(doc, text);
    const diagnostics = (await client.diagnostics(doc)).filter(
      (d) => d.code === 'copy-from-unknown-stage',
    );
    const disable = (await actions(doc, diagnostics, ['quickfix'])).find((a) =>
      a.title.startsWith('Disable'),
    );
    assert.ok(disable);
    const silenced = applyEdits(text, editOf(disable, doc, 1));
    assert.match(
      silenced,
      /FROM scratch\n# go-multistage ignore=copy-from-unknown-stage\nCOPY --from=biuld/,
    );
    await client.change(doc, silenced);
    const left = (await client.diagnostics(doc)).map((d) => d.code);
    assert.ok(!left.includes('copy-from-unknown-stage'));
  });

  test('source.fixAll.go-multistage applies every safe fix in one edit', async () => {
    const doc = uri('fixall/Dockerfile');
    const text =
      'FROM golang:1.24 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM gcr.io/distroless/static-debian13:nonroot\nCOPY --from=0 /out/app /app\nCMD /app --port 80\n';
    await client.open(doc, text);
    const offered = await actions(doc, [], ['source.fixAll']);
    assert.deepEqual(
      offered.map((a) => a.kind),
      ['source.fixAll.go-multistage'],
    );
    const fixed = applyEdits(text, editOf(offered[0], doc, 1));
    assert.equal(
      fixed,
      'FROM golang:1.24 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM gcr.io/distroless/static-debian13:nonroot\nCOPY --from=build /out/app /app\nCMD ["/app", "--port", "80"]\n',
    );
    // Not offered unless asked for, and nothing to offer on a clean file.
    assert.ok(!(await actions(doc, [])).some((a) => a.kind === 'source.fixAll.go-multistage'));
    await client.change(doc, fixed);
    assert.deepEqual(await actions(doc, [], ['source.fixAll.go-multistage']), []);
  });

  test('only refactorings when asked for them', async () => {
    const doc = uri('only/Dockerfile');
    await client.open(doc, SINGLE_STAGE);
    const diagnostics = await client.diagnostics(doc);
    const offered = await actions(doc, diagnostics, ['refactor']);
    assert.deepEqual(
      offered.map((a) => a.kind),
      ['refactor.rewrite'],
    );
  });
});
