import assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import {
  completionsAt,
  documentSymbols,
  fixAllActions,
  openFixture,
  ourDiagnostics,
  summarize,
  waitFor,
  waitForDiagnostics,
  waitForRule,
} from './helpers';

/** Opens an unsaved Dockerfile (an `untitled:` document) in an editor. */
async function openUntitled(content: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'dockerfile', content });
  return vscode.window.showTextDocument(document, { preview: false });
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

describe('editing', () => {
  after(async () => {
    // The unsaved documents opened here are thrown away, so nothing asks to save them.
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme !== 'untitled') continue;
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('shows the stages in the outline, each with its instructions', async () => {
    const editor = await openFixture('multi-stage/Dockerfile');
    const symbols = await waitFor(
      async () => {
        const found = await documentSymbols(editor.document.uri);
        return found.length > 0 ? found : undefined;
      },
      { what: 'document symbols for multi-stage/Dockerfile' },
    );
    const stages = symbols.filter((s) => s.kind === vscode.SymbolKind.Class);
    assert.deepEqual(
      stages.map((s) => s.name),
      ['build', 'stage 1'],
      JSON.stringify(symbols.map((s) => [s.name, s.kind])),
    );
    // The build stage holds its instructions, each on one line (continuations joined, cut).
    assert.deepEqual(
      stages[0].children.map((c) => c.name),
      [
        'WORKDIR /src',
        'COPY go.mod ./',
        'RUN go mod download',
        'COPY . .',
        'RUN --mount=type=cache,target=/root/.cache/go-build…',
      ],
    );
    const build = stages[0];
    assert.equal(build.range.start.line, 3);
  });

  it('checks unsaved Dockerfiles and completes stage names after COPY --from=', async () => {
    const editor = await openUntitled(
      [
        'FROM golang:1.27 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        '',
        'FROM gcr.io/distroless/static-debian13:nonroot',
        'COPY --from= /out/app /app',
        'ENTRYPOINT ["/app"]',
        '',
      ].join('\n'),
    );
    assert.equal(editor.document.uri.scheme, 'untitled');
    // The empty stage reference is reported: the server checks documents that have no file.
    await waitForRule(editor.document.uri, 'copy-from-unknown-stage');
    const items = await completionsAt(editor.document.uri, new vscode.Position(6, 12));
    const build = items.find((i) => labelOf(i) === 'build');
    assert.ok(build, JSON.stringify(items.map(labelOf).slice(0, 20)));
  });

  it('offers the Go Dockerfile snippets, whole-file templates first and most wanted first', async () => {
    const editor = await openUntitled('go-');
    const items = await completionsAt(editor.document.uri, new vscode.Position(0, 3));
    const snippets = items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet);
    // The order the suggest widget shows items that match alike: by sortText, then label.
    const sortKey = (i: vscode.CompletionItem) => i.sortText ?? labelOf(i);
    const shown = [...snippets]
      .sort((a, b) => sortKey(a).localeCompare(sortKey(b)) || labelOf(a).localeCompare(labelOf(b)))
      .map(labelOf);
    assert.deepEqual(
      shown.slice(0, 5),
      ['go-ms-distroless', 'go-ms-scratch', 'go-ms-alpine', 'go-ms-cgo', 'go-ms-dev'],
      JSON.stringify(shown),
    );
    // Each once (the extension's snippet file has them without a prefix), the fragments after.
    assert.equal(shown.filter((label) => label.startsWith('go-ms-')).length, 5);
    for (const fragment of ['go-build-cached', 'go-mod-download', 'go-final-distroless']) {
      assert.ok(shown.indexOf(fragment) > 4, `${fragment} not after the templates: ${shown}`);
    }
  });

  it('fixes every safe finding at once with the fix-all action', async () => {
    const editor = await openUntitled(
      [
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.27 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \\',
        '    CGO_ENABLED=0 go build -o /out/app .',
        '',
        'FROM gcr.io/distroless/static-debian13:nonroot',
        'COPY --from=0 /out/app /app',
        'CMD /app',
        '',
      ].join('\n'),
    );
    const uri = editor.document.uri;
    await waitForDiagnostics(
      uri,
      (all) =>
        ['copy-from-stage-index', 'shell-form-without-shell'].every((rule) =>
          summarize(all).some((line) => line.endsWith(rule)),
        ),
      'the stage index and shell-form findings',
    );
    const actions = await fixAllActions(uri);
    const fixAll = actions.find((a) => a.kind?.value.startsWith('source.fixAll'));
    assert.ok(fixAll?.edit, JSON.stringify(actions.map((a) => `${a.kind?.value} ${a.title}`)));
    assert.equal(await vscode.workspace.applyEdit(fixAll.edit), true);
    const text = editor.document.getText();
    assert.match(text, /^COPY --from=build \/out\/app \/app$/m);
    assert.match(text, /^CMD \["\/app"\]$/m);
    await waitForDiagnostics(uri, (all) => all.length === 0, 'no findings after fix-all');
    assert.deepEqual(ourDiagnostics(uri), []);
  });
});
