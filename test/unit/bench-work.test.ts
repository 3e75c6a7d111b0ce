/**
 * scripts/bench/work.mjs: reading cachegrind's summary and turning two processes' counts into
 * the counts of one pass (valgrind itself is not needed: the summary is a sample written here).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/paths';

/* eslint-disable @typescript-eslint/no-explicit-any -- the script is plain JavaScript. */
async function work(): Promise<any> {
  return import(pathToFileURL(join(repoRoot, 'scripts', 'bench', 'work.mjs')).href);
}

const SUMMARY = [
  '==4242== Cachegrind, a high-precision tracing profiler',
  '==4242== ',
  '==4242== I   refs:      22,335,930,955',
  '==4242== I1  misses:       138,433,685',
  '==4242== LLi misses:            72,908',
  '==4242== I1  miss rate:           0.62%',
  '==4242== ',
  '==4242== D   refs:       9,550,508,342',
  '==4242== D1  misses:       183,712,014',
  '==4242== LLd misses:           974,863',
].join('\n');

describe('scripts/bench/work.mjs', () => {
  test('reads the instructions and the first-level misses, not the last-level ones', async () => {
    const { summaryCounts } = await work();
    assert.deepEqual(summaryCounts(SUMMARY), {
      instructions: 22_335_930_955,
      instructionCacheMisses: 138_433_685,
      dataCacheMisses: 183_712_014,
    });
  });

  test('refuses a summary without the counts (valgrind failed or ran without --cache-sim)', async () => {
    const { summaryCounts } = await work();
    const withoutSimulation = SUMMARY.split('\n')
      .filter((line) => !line.includes('misses'))
      .join('\n');
    assert.throws(() => summaryCounts(withoutSimulation), /no "I1" count/);
  });

  test('a pass is the difference between the long and the short process, per extra pass', async () => {
    const { perPassCounts } = await work();
    const short = { instructions: 1000, instructionCacheMisses: 100, dataCacheMisses: 50 };
    const long = { instructions: 1800, instructionCacheMisses: 180, dataCacheMisses: 90 };
    assert.deepEqual(perPassCounts(short, long, 4, 12), {
      instructions: 100,
      instructionCacheMisses: 10,
      dataCacheMisses: 5,
    });
  });
});
