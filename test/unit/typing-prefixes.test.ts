// Every prefix of every fixture Dockerfile, as an editor sees the file while it is typed
// character by character, is analysed (and offered the conversion) without an exception.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { dockerfileFixtures } from '../support/fixtures';
import { GuardedChecker, showInput } from '../support/guarded-check';

// The time limit is per fixture (all its prefixes are checked in one go).
const checker = new GuardedChecker({ timeoutMs: 120_000 });
after(() => checker.close());

describe('every prefix of a fixture is analysed cleanly', () => {
  const fixtures = dockerfileFixtures();
  test('fixtures exist', () => assert.ok(fixtures.length > 0));
  for (const fixture of fixtures) {
    test(fixture.name, async () => {
      const prefixes = Array.from({ length: fixture.text.length + 1 }, (_, end) =>
        fixture.text.slice(0, end),
      );
      const results = await checker.checkMany(prefixes, { fixes: false });
      results.forEach((violations, end) => {
        assert.deepEqual(
          violations,
          [],
          `prefix of ${end} characters: ${showInput(prefixes[end], 400)}`,
        );
      });
    });
  }
});
