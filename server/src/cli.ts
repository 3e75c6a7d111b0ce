/** Entry point of the `go-multistage` command. */
import { readFileSync } from 'node:fs';
import { main } from './cli/main';
import { rewriteFile } from './node/file-rewrite';
import { bundledRuleDocsDirectory, fileRuleDocs } from './node/rule-docs';

const color =
  process.env.FORCE_COLOR !== undefined
    ? process.env.FORCE_COLOR !== '0'
    : process.stdout.isTTY === true && process.env.NO_COLOR === undefined;

// A reader that went away (`go-multistage lint … | head`) wants no more output: stop quietly
// with the status already decided, instead of a stack trace for the broken pipe.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit();
    throw error;
  });
}

// Beyond the file-size limit (`ulimit -f`), a write should fail with EFBIG and be reported like
// any write error, not kill the process with SIGXFSZ.
process.on('SIGXFSZ', () => undefined);

process.exitCode = main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  readStdin: () => readFileSync(0),
  writeFile: rewriteFile,
  color,
  ruleLink: fileRuleDocs(bundledRuleDocsDirectory()),
});
