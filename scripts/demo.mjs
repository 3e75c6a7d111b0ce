// `npm start`: after the build and the .vsix, shows go-multistage at work on the bundled
// example: its findings, then the example converted to a multi-stage build.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';

const cli = 'server/dist/cli.js';
const example = 'examples/Dockerfile';

function section(title) {
  console.log(`\n=== ${title} ===\n`);
}

function run(args) {
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  return result.status;
}

const vsix = statSync('go-multistage.vsix');
section(`Packaged go-multistage.vsix (${Math.round(vsix.size / 1024)} KB)`);
console.log('Install it with: code --install-extension go-multistage.vsix');

// The example is a single-stage image: it builds the service and runs it on the golang image, so
// the toolchain and the sources ship to production. (Said here, not in the example: a comment
// saying so would stay above the build stage after the conversion, and be false there.)
section(`go-multistage lint ${example} (single stage: the Go toolchain ships with the service)`);
const lint = run(['lint', example]);
if (lint !== 0 && lint !== 1) process.exit(lint ?? 1);

section(`go-multistage convert ${example}`);
process.exit(run(['convert', example]) ?? 1);
