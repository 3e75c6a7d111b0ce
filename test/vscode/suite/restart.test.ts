import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { CONVERT_TITLE, codeActionsAt, openFixture, waitFor, waitForRule } from './helpers';

const RULE = 'go-toolchain-in-final-stage';

/**
 * The language server processes this extension host started (Linux /proc): children of this
 * process whose command line runs the bundled server.
 */
function serverProcesses(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (parent === process.pid && command.includes('server/dist/server.js')) {
        found.push(Number(entry));
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

describe('restart command', () => {
  it('restarts the language server, and diagnostics and code actions come back', async () => {
    const editor = await openFixture('single-stage/Dockerfile');
    const uri = editor.document.uri;
    await waitForRule(uri, RULE);
    const observable = existsSync('/proc/self/stat');
    const before = observable ? serverProcesses() : [];
    if (observable) assert.equal(before.length, 1, `server processes: ${before}`);

    await vscode.commands.executeCommand('go-multistage.restartServer');

    if (observable) {
      // A new server process replaces the old one.
      const after = await waitFor(
        () => {
          const now = serverProcesses();
          return now.length === 1 && now[0] !== before[0] ? now : undefined;
        },
        { what: 'a new language server process' },
      );
      assert.notEqual(after[0], before[0]);
    }
    const diagnostic = await waitForRule(uri, RULE);
    const actions = await codeActionsAt(uri, diagnostic.range);
    assert.ok(actions.some((a) => a.title === CONVERT_TITLE));
  });
});
