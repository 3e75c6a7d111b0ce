// A repository someone clones can hold anything: a Dockerfile of 20,000 chained stages, one of
// megabytes, files that are links to devices. None of it may crash, freeze or cost unbounded
// memory. (The files the CLI writes back, and its output, are tested in cli-hostile.test.ts;
// the language server in test/protocol/hostile.test.ts.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from '../support/fixtures';

const CORE = join(ROOT, 'server', 'dist', 'core.js');

/** Runs `script` (with `core` bound to the built core) in a Node limited to `heapMb` of heap. */
function inBoundedNode(script: string, heapMb: number) {
  const result = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${heapMb}`,
      '-e',
      `const core = require(${JSON.stringify(CORE)});\n${script}`,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

describe('long stage chains', () => {
  // `FROM sN AS sN+1` twenty thousand times: an index of every stage under each of its ancestors,
  // and walks of the whole chain for every stage, made this quadratic (47 s, 2.9 GB).
  test('20,000 chained stages are analysed by every rule within 160 MB of heap', () => {
    const run = inBoundedNode(
      `const lines = ['FROM golang:1.22 AS s0', 'RUN go build -o /app .'];
       for (let i = 0; i < 20000; i++) lines.push('FROM s' + i + ' AS s' + (i + 1));
       lines.push('CMD ["/app"]');
       const model = core.buildModel(lines.join('\\n') + '\\n');
       const found = core.runRules(model, {}, { strict: true }).map((d) => d.rule + ':' + d.range.start.line);
       process.stdout.write(JSON.stringify(found));`,
      160,
    );
    assert.equal(run.status, 0, `exit ${run.status ?? run.signal}: ${run.stderr.slice(-500)}`);
    assert.deepEqual(JSON.parse(run.stdout), [
      'go-build-without-cache-mount:1',
      'go-toolchain-in-final-stage:20001',
    ]);
  });
});
