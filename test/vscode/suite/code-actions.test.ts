import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import {
  CONVERT_TITLE,
  codeActionsAt,
  openFixture,
  ourDiagnostics,
  ruleOf,
  summarize,
  waitForDiagnostics,
  waitForRule,
} from './helpers';

const RULE = 'go-toolchain-in-final-stage';
const RUNTIME = 'gcr.io/distroless/static-debian13:nonroot';

function isKind(action: vscode.CodeAction, kind: vscode.CodeActionKind): boolean {
  return action.kind?.value === kind.value;
}

describe('code actions', () => {
  it('offers "Convert to multi-stage" as the quick fix of the toolchain finding and as a refactoring', async () => {
    const editor = await openFixture('convert/Dockerfile');
    const diagnostic = await waitForRule(editor.document.uri, RULE);
    const actions = await codeActionsAt(editor.document.uri, diagnostic.range);
    const summary = JSON.stringify(actions.map((a) => `${a.kind?.value} ${a.title}`));
    // The server answers quick fixes only for the diagnostics the editor passes in the request,
    // so a quick fix here belongs to the finding at this range.
    const quickFix = actions.find(
      (a) => a.title === CONVERT_TITLE && isKind(a, vscode.CodeActionKind.QuickFix),
    );
    assert.ok(quickFix, `no quick fix among ${summary}`);
    assert.equal(quickFix.isPreferred, true);
    // Once in the Ctrl+. menu: the same conversion is not repeated as a refactoring there...
    assert.equal(actions.filter((a) => a.title === CONVERT_TITLE).length, 1, summary);
    // ...and it is in the refactoring menu.
    const rewrite = (
      await codeActionsAt(editor.document.uri, diagnostic.range, vscode.CodeActionKind.Refactor)
    ).find((a) => a.title === CONVERT_TITLE && isKind(a, vscode.CodeActionKind.RefactorRewrite));
    assert.ok(rewrite, 'no refactoring in the refactoring menu');
  });

  it('offers the conversion anywhere in a convertible file, as a refactoring only', async () => {
    const editor = await openFixture('convert/Dockerfile');
    await waitForRule(editor.document.uri, RULE);
    const actions = await codeActionsAt(editor.document.uri, new vscode.Range(3, 0, 3, 0));
    assert.deepEqual(
      actions.map((a) => `${a.kind?.value} ${a.title}`),
      [`refactor.rewrite ${CONVERT_TITLE}`],
    );
  });

  it('converts to multi-stage, and the toolchain finding goes away', async () => {
    const editor = await openFixture('convert/Dockerfile');
    const uri = editor.document.uri;
    const diagnostic = await waitForRule(uri, RULE);
    const convert = (await codeActionsAt(uri, diagnostic.range)).find(
      (a) => a.title === CONVERT_TITLE && isKind(a, vscode.CodeActionKind.QuickFix),
    );
    assert.ok(convert?.edit);
    assert.equal(await vscode.workspace.applyEdit(convert.edit), true);

    const text = editor.document.getText();
    assert.match(text, /^FROM golang:1\.27 AS build$/m);
    assert.match(text, new RegExp(`^FROM ${RUNTIME.replace(/\./g, '\\.')}$`, 'm'));
    // The program stays where it was built, started from the same working directory.
    assert.match(text, /^WORKDIR \/src\nCOPY --from=build \/src\/server \/src\/server$/m);
    assert.match(text, /^CMD \["\.\/server"\]$/m);
    await waitForDiagnostics(
      uri,
      (all) => !all.some((d) => ruleOf(d) === RULE),
      `no ${RULE} after the conversion`,
    );
    // What is left are advice-level findings (the build cache mount), nothing that breaks.
    assert.deepEqual(
      summarize(ourDiagnostics(uri)).filter((d) => / (Error|Warning) /.test(d)),
      [],
    );
    // The converted file offers no further conversion.
    const again = await codeActionsAt(uri, new vscode.Range(0, 0, 0, 0));
    assert.ok(!again.some((a) => a.title === CONVERT_TITLE));
  });
});
