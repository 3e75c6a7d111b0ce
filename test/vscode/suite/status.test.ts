import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { extension, openFixture, setSetting, waitFor, waitForRule } from './helpers';

interface StatusView {
  project: { text: string; detail?: string; command?: string };
  rules: { text: string; detail?: string; command?: string };
}

function languageStatus(): StatusView | undefined {
  return (extension().exports as { languageStatus(): StatusView | undefined }).languageStatus();
}

/** Waits until the language status items satisfy `accept`; fails with what they showed. */
async function waitForStatus(accept: (view: StatusView) => boolean, what: string) {
  let last: StatusView | undefined;
  try {
    return await waitFor(
      () => {
        last = languageStatus();
        return last && accept(last) ? last : undefined;
      },
      { what },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; the items showed ${JSON.stringify(last)}`);
  }
}

describe('language status', () => {
  it("shows the active Dockerfile's go.mod, build context and rules, with the log and settings", async () => {
    const { document } = await openFixture('single-stage/Dockerfile');
    await waitForRule(document.uri, 'go-toolchain-in-final-stage');
    const view = await waitForStatus(
      (v) => v.project.text === 'go.mod: example.com/shop',
      'the go.mod of single-stage',
    );
    assert.equal(
      view.project.detail,
      'single-stage/go.mod (go 1.27); build context single-stage (3 files)',
    );
    assert.equal(view.project.command, 'go-multistage.showLog');
    assert.match(view.rules.text, /^\d+ of \d+ rules on$/);
    assert.match(view.rules.detail ?? '', /^Go Multi-Stage \d+\.\d+\.\d+$/);
    assert.equal(view.rules.command, 'workbench.action.openSettings');
    // Both links work.
    await vscode.commands.executeCommand('go-multistage.showLog');
  });

  it('follows the settings and the active editor', async () => {
    await openFixture('single-stage/Dockerfile');
    const before = await waitForStatus(
      (v) => /rules on$/.test(v.rules.text) && v.project.text === 'go.mod: example.com/shop',
      'the status of single-stage',
    );
    const on = Number(/^(\d+)/.exec(before.rules.text)?.[1]);
    await setSetting('rules', { 'unreachable-stage': 'off' });
    await waitForStatus((v) => v.rules.text.startsWith(`${on - 1} of `), 'one rule fewer');
    await setSetting('enable', false);
    await waitForStatus((v) => v.rules.text === 'checks off', 'checks off');
    const other = await openFixture('typo/Dockerfile');
    await waitForStatus(
      (v) => v.project.detail?.startsWith('typo/go.mod') === true,
      `the status of ${other.document.uri.path}`,
    );
  });
});
