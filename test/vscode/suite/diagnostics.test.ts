import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import {
  codeActionsAt,
  extension,
  openFixture,
  ourDiagnostics,
  replaceText,
  summarize,
  waitFor,
  waitForDiagnostics,
  waitForNoRule,
  waitForRule,
} from './helpers';

describe('diagnostics', () => {
  it('reports the Go toolchain in a single-stage final image on the image reference', async () => {
    const { document } = await openFixture('single-stage/Dockerfile');
    const diagnostic = await waitForRule(document.uri, 'go-toolchain-in-final-stage');
    assert.equal(diagnostic.source, 'go-multistage');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(diagnostic.range, new vscode.Range(1, 5, 1, 16));
    assert.equal(document.getText(diagnostic.range), 'golang:1.27');
    assert.match(diagnostic.message, /ships the Go\s+toolchain/);
    const code = diagnostic.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, 'go-toolchain-in-final-stage');
    assert.equal(code.target.scheme, 'command');
    assert.deepEqual(summarize(ourDiagnostics(document.uri)), [
      '1:5-1:16 Warning go-toolchain-in-final-stage',
      '5:4-5:35 Hint go-build-without-cache-mount',
    ]);
  });

  it("opens a finding's rule link: the packaged page in the Markdown preview, offline", async () => {
    const { document } = await openFixture('single-stage/Dockerfile');
    const diagnostic = await waitForRule(document.uri, 'go-toolchain-in-final-stage');
    const { target } = diagnostic.code as { value: string; target: vscode.Uri };
    // What the editor does when the link (in the Problems panel or the hover) is clicked.
    assert.equal(target.scheme, 'command');
    const args = JSON.parse(decodeURIComponent(target.query)) as unknown[];
    assert.deepEqual(args, ['go-toolchain-in-final-stage']);
    const page = vscode.Uri.joinPath(
      extension().extensionUri,
      'server/dist/rules/go-toolchain-in-final-stage.md',
    );
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(page));
    assert.match(text, /^# go-toolchain-in-final-stage\n/);
    await vscode.commands.executeCommand(target.path, ...args);
    const preview = await waitFor(
      () =>
        vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .find(
            (tab) =>
              tab.input instanceof vscode.TabInputWebview &&
              tab.input.viewType.includes('markdown.preview') &&
              tab.label.includes('go-toolchain-in-final-stage.md'),
          ),
      { what: 'the Markdown preview of go-toolchain-in-final-stage.md' },
    );
    await vscode.window.tabGroups.close(preview);
  });

  it('hovers on a finding without repeating what the editor shows of it', async () => {
    const { document } = await openFixture('typo/Dockerfile');
    const diagnostic = await waitForRule(document.uri, 'copy-from-unknown-stage');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      diagnostic.range.start.translate(0, 1),
    );
    // What a hover shows: its Markdown without link targets.
    const texts = (hovers ?? []).flatMap((hover) =>
      hover.contents.map((c) => (typeof c === 'string' ? c : c.value).replace(/\]\([^)]*\)/g, ']')),
    );
    // The reasoning behind the finding, which the editor's own hover does not show...
    assert.ok(
      texts.some((t) => t.startsWith('With no earlier stage of that name, COPY --from=biuld')),
      JSON.stringify(texts),
    );
    // ...while the message and the linked rule id, which it shows, are not repeated.
    for (const text of texts) {
      assert.ok(!text.includes(diagnostic.message), `the message again in: ${text}`);
      assert.ok(!/copy-from-unknown-stage/.test(text), `the rule again in: ${text}`);
    }
  });

  it('reports COPY --from naming no stage as an error, with a fix to the closest stage', async () => {
    const editor = await openFixture('typo/Dockerfile');
    const uri = editor.document.uri;
    const diagnostic = await waitForRule(uri, 'copy-from-unknown-stage');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(diagnostic.range), 'biuld');
    assert.deepEqual(diagnostic.range, new vscode.Range(7, 12, 7, 17));
    assert.equal(diagnostic.message, 'No stage is named "biuld": did you mean "build"?');

    const actions = await codeActionsAt(uri, diagnostic.range);
    const fix = actions.find((a) => a.title === 'Copy from stage "build"');
    assert.ok(fix, `no stage fix among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.equal(fix.isPreferred, true);

    assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)));
    assert.equal(editor.document.lineAt(7).text, 'COPY --from=build /out/api /api');
    await waitForNoRule(uri, 'copy-from-unknown-stage');
  });

  it('reports nothing on a correct multi-stage file, and follows edits to it', async () => {
    const editor = await openFixture('multi-stage/Dockerfile');
    const uri = editor.document.uri;
    const original = editor.document.getText();
    // An edit that breaks the file proves the server checks it; undoing it clears the finding.
    await replaceText(editor.document, original.replace('--from=build', '--from=builder'));
    await waitForRule(uri, 'copy-from-unknown-stage');
    await replaceText(editor.document, original);
    await waitForDiagnostics(uri, (all) => all.length === 0, 'no diagnostics on the fixed file');
  });
});
