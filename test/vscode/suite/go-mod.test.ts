import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import {
  fixtureUri,
  openFixture,
  openFixtureDocument,
  replaceText,
  ruleOf,
  waitForDiagnostics,
} from './helpers';

const RULE = 'go-toolchain-in-final-stage';

/** Saves new text into go.mod through an editor, as a user editing it would. */
async function saveGoMod(text: string): Promise<void> {
  const document = await openFixtureDocument('gomod/go.mod');
  await replaceText(document, text);
  assert.equal(await document.save(), true);
}

describe('go.mod', () => {
  const goMod = fixtureUri('gomod/go.mod');
  const dockerfile = fixtureUri('gomod/Dockerfile');

  it('re-checks an open Dockerfile when the module path in go.mod changes', async () => {
    // `go build` with no -o names the binary after the module path's last element: the CMD
    // runs ./greeter, which is built only while the module is example.com/greeter.
    await openFixture('gomod/Dockerfile');
    const has = (all: vscode.Diagnostic[]) => all.some((d) => ruleOf(d) === RULE);
    await waitForDiagnostics(dockerfile, has, `${RULE} while the module is greeter`);

    const original = new TextDecoder().decode(await vscode.workspace.fs.readFile(goMod));
    assert.match(original, /^module example\.com\/greeter$/m);
    await saveGoMod(original.replace('example.com/greeter', 'example.com/welcome'));
    await openFixture('gomod/Dockerfile');
    await waitForDiagnostics(
      dockerfile,
      (all) => !has(all),
      `no ${RULE} once the module is renamed`,
    );

    await saveGoMod(original);
    await openFixture('gomod/Dockerfile');
    await waitForDiagnostics(dockerfile, has, `${RULE} again with the module name back`);
  });
});
