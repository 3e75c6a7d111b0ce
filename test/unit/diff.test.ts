import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { unifiedDiff } from '../../server/src/cli/diff';

/** Applies a unified diff (as `patch` would) to check it round-trips. */
function applyPatch(before: string, patch: string): string {
  const source = before.split('\n');
  if (source[source.length - 1] === '') source.pop();
  const result: string[] = [];
  let cursor = 0;
  const lines = patch.split('\n').slice(2);
  for (let i = 0; i < lines.length; i++) {
    const header = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(lines[i]);
    if (!header) continue;
    const start = Number(header[2]) === 0 ? Number(header[1]) : Number(header[1]) - 1;
    while (cursor < start) result.push(source[cursor++]);
    for (i++; i < lines.length && !lines[i].startsWith('@@'); i++) {
      const line = lines[i];
      if (line === '') continue;
      if (line[0] === ' ') {
        assert.equal(source[cursor], line.slice(1), 'context matches');
        result.push(source[cursor++]);
      } else if (line[0] === '-') {
        assert.equal(source[cursor], line.slice(1), 'removed line matches');
        cursor++;
      } else if (line[0] === '+') {
        result.push(line.slice(1));
      }
    }
    i--;
  }
  while (cursor < source.length) result.push(source[cursor++]);
  return result.map((l) => l + '\n').join('');
}

describe('unified diff', () => {
  test('a converted Dockerfile', () => {
    const before = 'FROM golang:1.24\nRUN go build -o app .\nCMD ["./app"]\n';
    const after =
      'FROM golang:1.24 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\n\nFROM scratch\nCOPY --from=build /out/app /app\nCMD ["/app"]\n';
    const diff = unifiedDiff(before, after, 'a/Dockerfile', 'b/Dockerfile');
    assert.equal(
      diff,
      [
        '--- a/Dockerfile',
        '+++ b/Dockerfile',
        '@@ -1,3 +1,6 @@',
        '-FROM golang:1.24',
        '-RUN go build -o app .',
        '-CMD ["./app"]',
        '+FROM golang:1.24 AS build',
        '+RUN CGO_ENABLED=0 go build -o /out/app .',
        '+',
        '+FROM scratch',
        '+COPY --from=build /out/app /app',
        '+CMD ["/app"]',
        '',
      ].join('\n'),
    );
    assert.equal(unifiedDiff(before, before, 'a', 'b'), '');
  });

  test('round-trips on random texts (separate hunks, context, insertions at the ends)', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'd', 'FROM x', 'RUN y', '');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.array(line, { maxLength: 40 }), (a, b) => {
        const before = a.map((l) => l + '\n').join('');
        const after = b.map((l) => l + '\n').join('');
        assert.equal(applyPatch(before, unifiedDiff(before, after, 'a', 'b')), after);
      }),
      { numRuns: 300 },
    );
  });
});
