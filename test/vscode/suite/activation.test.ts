import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { extension, fixtureUri, openFixture, waitFor, waitForRule } from './helpers';

describe('activation', () => {
  it('stays inactive until a Dockerfile is opened', () => {
    assert.equal(extension().isActive, false);
  });

  it('activates on a Dockerfile.prod and checks it', async () => {
    const editor = await openFixture('prod/Dockerfile.prod');
    assert.equal(editor.document.languageId, 'dockerfile');
    await waitFor(() => (extension().isActive ? true : undefined), {
      what: 'the extension to activate',
    });
    await waitForRule(fixtureUri('prod/Dockerfile.prod'), 'go-toolchain-in-final-stage');
  });

  it('treats a file named Dockerfile as a Dockerfile and checks it', async () => {
    const editor = await openFixture('single-stage/Dockerfile');
    assert.equal(editor.document.languageId, 'dockerfile');
    await waitForRule(editor.document.uri, 'go-toolchain-in-final-stage');
  });

  it('registers the restart command', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('go-multistage.restartServer'));
  });
});
