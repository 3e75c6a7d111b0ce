// A node:test reporter for `npm test`: one line per test file as it ends, every failure in full
// right after its file's line (with what the file printed), and a summary at the end with the
// failed tests named again. node:test's own spec reporter prints every test of thousands, with the
// summary 8,000 lines down; after `npm test`, `node --test --test-reporter=spec out/test/unit
// out/test/protocol` still gives that listing.
import { relative } from 'node:path';
import { inspect } from 'node:util';

const color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
const paint = (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const red = (text) => paint(31, text);
const green = (text) => paint(32, text);
const dim = (text) => paint(2, text);

function shortName(file) {
  return file ? relative(process.cwd(), file) : '(no file)';
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The error of a failed test, as an assertion's message and diff or an error's stack. */
function describeError(details) {
  const error = details?.error;
  if (!error) return '';
  const cause = error.cause ?? error;
  // An assertion's message holds its diff; the stack says where.
  const text =
    cause instanceof Error
      ? (cause.stack ?? String(cause))
      : inspect(cause, { depth: 4, colors: color });
  return text
    .split('\n')
    .filter((line) => !/^\s+at .*\(?node:(internal|async_hooks)/.test(line))
    .map((line) => `    ${line}`)
    .join('\n');
}

/** What a file printed, indented, for a file with failures. */
function outputOf(entry) {
  const output = entry.output.join('');
  if (output.trim() === '') return '';
  return `${dim('  output of the file:')}\n${output.replace(/^/gm, '    ')}\n`;
}

export default async function* reporter(source) {
  // node:test reports a file's tests together and in file order, then the file's own end
  // (`test:complete` named by its path): what comes before that end belongs to that file. (An
  // event's `file` is where its test was declared, a helper such as rule-tester.js included.)
  const fresh = () => ({ passed: 0, failed: 0, skipped: 0, failures: [], output: [] });
  let pending = fresh();
  const failedNames = [];
  const summary = {};
  /** The names of the suites open at each nesting level, to name a failure by its path. */
  const stack = [];

  for await (const event of source) {
    const data = event.data ?? {};
    const isFile = data.file !== undefined && data.name === data.file;
    switch (event.type) {
      case 'test:start':
        stack[data.nesting] = data.name;
        stack.length = data.nesting + 1;
        break;
      case 'test:pass':
        if (isFile || data.details?.type === 'suite') break;
        if (data.skip !== undefined || data.todo !== undefined) pending.skipped++;
        else pending.passed++;
        break;
      case 'test:fail': {
        // A suite fails when one of its tests does (already counted), unless it failed itself
        // (a hook, or an error outside its tests).
        if (data.details?.type === 'suite' && data.details?.error?.failureType === 'subtestsFailed')
          break;
        if (isFile) {
          // The file itself failed after its tests ended (it crashed, or exited non-zero).
          const name = shortName(data.file);
          failedNames.push(name);
          yield `${red('✖')} ${name}\n${describeError(data.details)}\n${outputOf(pending)}`;
          pending = fresh();
          break;
        }
        pending.failed++;
        pending.failures.push({
          path: [...stack.slice(0, data.nesting), data.name],
          details: data.details,
        });
        break;
      }
      case 'test:stdout':
      case 'test:stderr':
        pending.output.push(data.message);
        break;
      case 'test:complete': {
        if (!isFile) break;
        const counts = [`${pending.passed} passed`];
        if (pending.failed > 0) counts.push(red(`${pending.failed} failed`));
        if (pending.skipped > 0) counts.push(`${pending.skipped} skipped`);
        const mark = pending.failed > 0 ? red('✖') : green('✔');
        const time = data.details?.duration_ms;
        yield `${mark} ${shortName(data.file)}  ${counts.join(', ')}${
          time !== undefined ? dim(`  ${seconds(time)}`) : ''
        }\n`;
        if (pending.failed > 0) {
          const failures = pending.failures.map(({ path, details }) => {
            const name = [shortName(data.file), ...path].join(' › ');
            failedNames.push(name);
            return `${red('✖')} ${name}\n${describeError(details)}`;
          });
          yield `${failures.join('\n\n')}\n${outputOf(pending)}`;
        }
        // Output after the end (a crash's stack) goes with a failure of the file itself.
        pending = fresh();
        break;
      }
      case 'test:diagnostic':
        // The run's totals come as top-level diagnostics: "tests 1234", "pass 1230", ...
        if (data.nesting === 0 && !data.file) {
          const match = /^(\w+) ([\d.]+)$/.exec(data.message);
          if (match) summary[match[1]] = Number(match[2]);
        }
        break;
      default:
        break;
    }
  }

  const failed = (summary.fail ?? 0) + (summary.cancelled ?? 0);
  const parts = [
    `${summary.tests ?? 0} tests`,
    `${summary.pass ?? 0} passed`,
    failed > 0 ? red(`${summary.fail ?? 0} failed`) : '0 failed',
  ];
  if (summary.cancelled) parts.push(red(`${summary.cancelled} cancelled`));
  if (summary.skipped) parts.push(`${summary.skipped} skipped`);
  if (summary.todo) parts.push(`${summary.todo} todo`);
  if (summary.duration_ms !== undefined) parts.push(seconds(summary.duration_ms));
  yield '\n';
  if (failedNames.length > 0) {
    yield `${red('Failed:')}\n${failedNames.map((name) => `  ${name}`).join('\n')}\n`;
  }
  yield `${failed > 0 ? red('✖') : green('✔')} ${parts.join(' · ')}\n`;
}
