import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { EXTENSION_ID, readLines, runLogs } from './helpers';

// Log lines look like `2025-01-01 10:00:00.000 [error] …`.
const PROBLEM = /\[(error|warning)\]/;

describe('logs', () => {
  it('reads the logs of this run', () => {
    const { root, extensionHost } = runLogs();
    const lines = extensionHost.flatMap(readLines);
    assert.ok(
      lines.some((line) => line.includes(`_doActivateExtension ${EXTENSION_ID}`)),
      `no extension host log under ${root} records the activation of ${EXTENSION_ID}`,
    );
  });

  it('says once at each start, in the output channel, its version, the workspace and its go.mod', () => {
    const starts = runLogs()
      .outputChannel.flatMap(readLines)
      .filter((line) => / go-multistage \d+\.\d+\.\d+ started; workspace: /.test(line));
    // The first start, and one for each restart the restart suite made.
    assert.ok(starts.length >= 2, JSON.stringify(starts));
    for (const line of starts) assert.match(line, /workspace: \/.+ \(no go\.mod at its top\)$/);
  });

  it('has no error or warning in the extension output channel after all the other tests', () => {
    // The language client logs to a log output channel, created on its first message: no file
    // means nothing was logged at all. A restart logs "[info] Server process exited successfully".
    const problems = runLogs().outputChannel.flatMap((file) =>
      readLines(file).filter((line) => PROBLEM.test(line)),
    );
    assert.deepEqual(problems, []);
  });

  it('has no error or warning about the extension in the extension host log', () => {
    const problems = runLogs()
      .extensionHost.flatMap(readLines)
      .filter((line) => PROBLEM.test(line) && line.includes(EXTENSION_ID));
    assert.deepEqual(problems, []);
  });
});
