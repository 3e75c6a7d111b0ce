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

/** Saves new text into compose.yaml through an editor, as a user editing it would. */
async function saveCompose(text: string): Promise<void> {
  const document = await openFixtureDocument('compose/compose.yaml');
  await replaceText(document, text);
  assert.equal(await document.save(), true);
}

describe('builds declared next to the Dockerfile', () => {
  const compose = fixtureUri('compose/compose.yaml');
  const dockerfile = fixtureUri('compose/Dockerfile');

  it('editing the target in compose.yaml changes the Dockerfile’s findings', async () => {
    // compose builds the dev stage, on the toolchain image: the toolchain ships. Built as
    // production instead, the dev stage at the end of the file ships nothing.
    await openFixture('compose/Dockerfile');
    const has = (all: vscode.Diagnostic[]) => all.some((d) => ruleOf(d) === RULE);
    await waitForDiagnostics(dockerfile, has, `${RULE} while compose builds target dev`);

    const original = new TextDecoder().decode(await vscode.workspace.fs.readFile(compose));
    assert.match(original, /target: dev$/m);
    await saveCompose(original.replace('target: dev', 'target: production'));
    await openFixture('compose/Dockerfile');
    await waitForDiagnostics(
      dockerfile,
      (all) => !has(all),
      `no ${RULE} once compose builds target production`,
    );

    await saveCompose(original);
    await openFixture('compose/Dockerfile');
    await waitForDiagnostics(dockerfile, has, `${RULE} again with target dev back`);
  });
});
