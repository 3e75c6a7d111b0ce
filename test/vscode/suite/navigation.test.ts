import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { openFixture, setSetting, waitFor } from './helpers';

/** multi-stage/Dockerfile: ARG GO_VERSION (line 2) feeds FROM golang:${GO_VERSION} (line 3). */
const FIXTURE = 'multi-stage/Dockerfile';

describe('navigation: folding, ARG hover and rename, links, inlay hints', () => {
  it('folds each stage from its FROM to its last instruction', async () => {
    const editor = await openFixture(FIXTURE);
    const folds = await waitFor(
      async () => {
        const found = await vscode.commands.executeCommand<vscode.FoldingRange[]>(
          'vscode.executeFoldingRangeProvider',
          editor.document.uri,
        );
        return found?.some((f) => f.kind === vscode.FoldingRangeKind.Region) ? found : undefined;
      },
      { what: 'folding ranges' },
    );
    const regions = folds
      .filter((f) => f.kind === vscode.FoldingRangeKind.Region)
      .map((f) => [f.start, f.end]);
    assert.deepEqual(regions, [
      [3, 9],
      [11, 14],
    ]);
  });

  it('hovers an ARG use with its value, and renames the ARG with its uses', async () => {
    const editor = await openFixture(FIXTURE);
    const use = new vscode.Position(3, 'FROM golang:${GO_'.length);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      use,
    );
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(text, /GO_VERSION/);
    assert.match(text, /1\.27/);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
      'vscode.executeDocumentRenameProvider',
      editor.document.uri,
      use,
      'GOLANG_VERSION',
    );
    const edits = edit.get(editor.document.uri);
    assert.deepEqual(edits.map((e) => [e.range.start.line, e.newText]).sort(), [
      [2, 'GOLANG_VERSION'],
      [3, 'GOLANG_VERSION'],
    ]);
  });

  it('links the built package to its main.go and -o to the COPY --from that carries it', async () => {
    const editor = await openFixture(FIXTURE);
    const links = await waitFor(
      async () => {
        const found = await vscode.commands.executeCommand<vscode.DocumentLink[]>(
          'vscode.executeLinkProvider',
          editor.document.uri,
        );
        return found && found.length > 0 ? found : undefined;
      },
      { what: 'document links' },
    );
    const byText = new Map(
      links.map((l) => [editor.document.getText(l.range), l.target?.toString() ?? '']),
    );
    assert.match(byText.get('./cmd/worker') ?? '', /multi-stage\/cmd\/worker\/main\.go$/);
    assert.match(byText.get('/out/worker') ?? '', /multi-stage\/Dockerfile#L13$/);
    assert.match(byText.get('go.mod') ?? '', /multi-stage\/go\.mod$/);
  });

  it('shows inlay hints only once goMultistage.inlayHints.enable is on', async () => {
    const editor = await openFixture(FIXTURE);
    const range = new vscode.Range(0, 0, editor.document.lineCount, 0);
    const hints = () =>
      vscode.commands.executeCommand<vscode.InlayHint[]>(
        'vscode.executeInlayHintProvider',
        editor.document.uri,
        range,
      );
    assert.deepEqual(await hints(), []);
    await setSetting('inlayHints.enable', true);
    const shown = await waitFor(
      async () => {
        const found = await hints();
        return found.length > 0 ? found : undefined;
      },
      { what: 'inlay hints after turning them on' },
    );
    const labels = shown.map((h) =>
      typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''),
    );
    assert.ok(labels.includes('= golang:1.27'), labels.join(' | '));
    assert.ok(labels.includes('runs as 65532:65532'), labels.join(' | '));
    assert.ok(
      labels.some((l) => l.startsWith('→ /out/worker · CGO_ENABLED=0')),
      labels.join(' | '),
    );
  });
});
