#!/usr/bin/env node
// Stands in for the `code` executable that @vscode/test-electron's runTests() launches, on
// machines where desktop VS Code cannot be downloaded. It runs the same extension tests in the
// VS Code server of code-server: the workbench is opened in headless chromium as an "Extension
// Development Host" (the `payload` URL parameter), the tests run in the real Node extension host,
// their console output is forwarded here, and the shim exits with their exit code.
//
// Arguments understood (as runTests passes them): --extensionDevelopmentPath=DIR (one or more),
// --extensionTestsPath=FILE, and a workspace folder (or .code-workspace file) as a positional
// argument. Profile arguments (--user-data-dir, --extensions-dir) are ignored: every run gets a
// fresh profile in its own sandbox under the OS temp dir, removed when the shim exits.
import { resolve } from 'node:path';
import { format } from 'node:util';
import {
  createSandbox,
  isolatedPage,
  launchChromium,
  registerSandboxCleanup,
  remoteUri,
  RUN_TIMEOUT_MS,
  startCodeServer,
  startRun,
  verbose,
  workbenchUrl,
} from './harness.mjs';

// VS Code options that take a value; the value may follow as the next argument.
const VALUE_OPTIONS = new Set([
  'extensionDevelopmentPath',
  'extensionTestsPath',
  'user-data-dir',
  'extensions-dir',
  'locale',
  'log',
  'profile',
]);

function parseArgs(argv) {
  const parsed = { developmentPaths: [], testsPath: undefined, targets: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      parsed.targets.push(resolve(arg));
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    let value = eq < 0 ? undefined : arg.slice(eq + 1);
    if (value === undefined && VALUE_OPTIONS.has(name)) value = argv[++i];
    if (name === 'extensionDevelopmentPath') parsed.developmentPaths.push(resolve(value));
    if (name === 'extensionTestsPath') parsed.testsPath = resolve(value);
  }
  return parsed;
}

const args = parseArgs(process.argv.slice(2));
const { say, cleanup, finish, finishing } = startRun('vscode-shim', { timeoutMs: RUN_TIMEOUT_MS });

async function main() {
  if (args.developmentPaths.length === 0 || !args.testsPath) {
    throw new Error('needs --extensionDevelopmentPath and --extensionTestsPath');
  }
  const sandbox = createSandbox('go-multistage-vscode');
  registerSandboxCleanup(cleanup, sandbox);

  // The tests read the logs of this run (the extension's output channel) from here.
  const server = await startCodeServer(cleanup, sandbox, {
    env: { GO_MULTISTAGE_VSCODE_LOGS: sandbox.userData },
  });
  server.child.once('exit', (code, signal) => {
    if (!finishing()) {
      console.error(server.output.slice(-50).join('\n'));
      void finish(1, `code-server exited during the run (${code ?? signal})`);
    }
  });
  say(`code-server ${server.port} listening${verbose ? `, sandbox ${sandbox.root}` : ''}`);

  const browser = await launchChromium(cleanup, sandbox);
  const page = await isolatedPage(browser, server.port);
  await page.exposeFunction('codeAutomationLog', (_type, logArgs) => {
    console.log(format(...(Array.isArray(logArgs) ? logArgs : [logArgs])));
  });
  await page.exposeFunction('codeAutomationExit', (code) => {
    void finish(typeof code === 'number' ? code : 1, `tests ended with exit code ${code}`);
  });
  page.on('crash', () => void finish(1, 'the workbench page crashed'));
  if (verbose) page.on('console', (message) => say(`[browser] ${message.text()}`));

  const [target] = args.targets;
  const payload = [
    ...args.developmentPaths.map((path) => [
      'extensionDevelopmentPath',
      remoteUri(server.port, path),
    ]),
    ['extensionTestsPath', remoteUri(server.port, args.testsPath)],
  ];
  const workspace = target?.endsWith('.code-workspace') ? target : undefined;
  const folder = workspace ? undefined : target;
  // The tests report through codeAutomationExit; the page's load event is not waited for.
  await page.goto(workbenchUrl(server.port, { folder, workspace, payload }), {
    waitUntil: 'commit',
  });
  say('opening the workbench');
}

main().catch((error) => {
  console.error(error);
  void finish(1, 'could not run the tests');
});
