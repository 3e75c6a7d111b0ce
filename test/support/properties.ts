/**
 * The property-based robustness suite, shared by the fast unit run (few cases, fixed seed, so
 * `npm test` is reproducible) and `npm run test:fuzz` (many cases, a new seed each run).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { dockerfile, goMod, mutated, syntaxSoup } from './arbitraries';
import type { CheckOptions } from './check-text';
import { dockerfileFixtures } from './fixtures';
import { GuardedChecker, showInput } from './guarded-check';

export interface PropertySettings {
  runs: number;
  /** Undefined: a random seed (fast-check prints it with any failure, to replay it). */
  seed?: number;
  /** Extra texts to mutate (e.g. a corpus). */
  seeds?: readonly string[];
}

const RUNTIMES: CheckOptions['runtimes'] = [undefined, 'scratch', 'alpine:3.20'];

export function defineProperties(settings: PropertySettings): void {
  const checker = new GuardedChecker({ timeoutMs: 10_000 });
  after(() => checker.close());
  const parameters = { numRuns: settings.runs, seed: settings.seed, includeErrorInReport: true };

  const holds = async (text: string, mod: string | undefined) => {
    const violations = await checker.check(text, {
      analyze: mod === undefined ? {} : { goMod: mod },
      runtimes: RUNTIMES,
    });
    assert.deepEqual(violations, [], `input ${showInput(text)}`);
  };

  const fixtures = dockerfileFixtures().map((f) => f.text);
  const bases = [...fixtures, ...(settings.seeds ?? [])];

  describe('the core never throws or hangs, and its fixes apply cleanly', () => {
    test('on generated Go Dockerfiles', async () => {
      await fc.assert(fc.asyncProperty(dockerfile, goMod, holds), parameters);
    });

    test('on generated Dockerfiles with hazardous edits', async () => {
      await fc.assert(fc.asyncProperty(mutated(dockerfile), goMod, holds), parameters);
    });

    test('on fixture Dockerfiles with hazardous edits', async () => {
      assert.ok(bases.length > 0, 'no fixtures found');
      await fc.assert(
        fc.asyncProperty(mutated(fc.constantFrom(...bases), 8), goMod, holds),
        parameters,
      );
    });

    test('on dense Dockerfile and shell syntax', async () => {
      await fc.assert(fc.asyncProperty(syntaxSoup, fc.constant(undefined), holds), parameters);
    });

    test('on arbitrary Unicode text', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.constant(undefined),
          holds,
        ),
        parameters,
      );
    });
  });
}
