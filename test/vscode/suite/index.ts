/**
 * Entry point that VS Code's extension host loads (`--extensionTestsPath`): runs every
 * `*.test.js` of this folder with mocha and rejects when a test fails, which makes the run exit
 * non-zero. The activation suite runs first (it checks that nothing activated the extension
 * before a Dockerfile was opened) and the logs suite last (it checks what all the
 * others left in the log); the rest run in file-name order.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { restoreWorkspace, traceEditorEvents } from './helpers';

const FIRST = 'activation.test.js';
const LAST = 'logs.test.js';

function order(files: string[]): string[] {
  const middle = files.filter((f) => f !== FIRST && f !== LAST).sort();
  return [FIRST, ...middle, LAST].filter((f) => files.includes(f));
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    reporter: 'spec',
    // Runs only the tests whose full title matches, e.g. GO_MULTISTAGE_VSCODE_GREP=settings.
    grep: process.env.GO_MULTISTAGE_VSCODE_GREP || undefined,
  });
  // Every test starts from the fixtures as they are on disk and from default settings.
  mocha.rootHooks({ afterEach: restoreWorkspace });
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.js'));
  for (const file of order(files)) mocha.addFile(join(__dirname, file));
  const trace = process.env.GO_MULTISTAGE_VSCODE_TRACE === '1' ? traceEditorEvents() : undefined;
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      trace?.dispose();
      if (failures > 0) reject(new Error(`${failures} extension test(s) failed`));
      else resolve();
    });
  });
}
