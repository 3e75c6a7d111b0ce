// Runs the extension-host tests (out/test/vscode/suite) with @vscode/test-electron's runTests().
// Which VS Code runs them:
//   - GO_MULTISTAGE_VSCODE_EXECUTABLE, when set: that executable (a desktop `code`, or a shim);
//   - else the offline runtime of scripts/vscode/setup.mjs, when installed, through the shim
//     test/vscode/code-shim.mjs (code-server + headless chromium);
//   - else runTests downloads desktop VS Code, as it does on any machine that can.
// The fixture workspace is copied to a temporary folder first: the tests edit files and settings.
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runtimeInstalled } from '../../scripts/vscode/paths.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const shim = join(root, 'test/vscode/code-shim.mjs');

function executable() {
  if (process.env.GO_MULTISTAGE_VSCODE_EXECUTABLE)
    return process.env.GO_MULTISTAGE_VSCODE_EXECUTABLE;
  if (runtimeInstalled()) return shim;
  return undefined;
}

const scratch = mkdtempSync(join(tmpdir(), 'go-multistage-e2e-'));
process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
// While the tests run, runTests() answers SIGINT by stopping VS Code (the shim cleans up and
// exits) and then rejects; SIGTERM and SIGHUP take the same path. Before or after, exit at once.
let testsRunning = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!testsRunning) process.exit(128 + constants.signals[signal]);
    if (signal !== 'SIGINT') process.emit('SIGINT', 'SIGINT');
  });
}

const workspace = join(scratch, 'workspace');
cpSync(join(root, 'test/vscode/fixtures/workspace'), workspace, { recursive: true });
// Desktop VS Code writes its logs under the user data dir; the shim uses its own sandbox and
// overrides GO_MULTISTAGE_VSCODE_LOGS with it.
const userData = join(scratch, 'user-data');

const vscodeExecutablePath = executable();
console.log(
  `[vscode] running the extension tests in ${vscodeExecutablePath ?? 'a downloaded VS Code'}`,
);
const started = performance.now();
try {
  testsRunning = true;
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out/test/vscode/suite/index.js'),
    launchArgs: [workspace, '--disable-extensions', `--user-data-dir=${userData}`],
    extensionTestsEnv: { GO_MULTISTAGE_VSCODE_LOGS: userData },
  });
  console.log(
    `[vscode] extension tests passed in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
} catch (error) {
  console.error(`[vscode] extension tests failed: ${error?.message ?? error}`);
  process.exitCode = 1;
} finally {
  testsRunning = false;
}
