/**
 * Inputs far outside what people write: the core must still answer, in bounded time and memory,
 * with well-formed findings. The limits (a worker with a 1 GB heap, minutes per input) only catch
 * hangs and runaway memory; speed is measured by `npm run bench`, not here. `scale` 1 gives the
 * full sizes (1 MB lines, 50,000 lines); the unit run uses a tenth.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { AnalyzeOptions } from '../../server/src/core';
import { GuardedChecker } from './guarded-check';
import { binaryGarbage, manyStages, MB, repeatTo } from './large-inputs';

export function definePathological(scale: number): void {
  const checker = new GuardedChecker({ timeoutMs: 300_000, heapMb: 1024 });
  after(() => checker.close());
  const n = (count: number) => Math.max(1, Math.round(count * scale));

  // Applying every fix would re-analyse the whole input once per finding; these inputs check the
  // analysis and the conversion, the property suites check the fixes.
  const expectClean = async (text: string, analyze: AnalyzeOptions = {}) => {
    assert.deepEqual(await checker.check(text, { fixes: false, analyze }), []);
  };

  describe(`pathological inputs are analysed cleanly (scale ${scale})`, () => {
    test(`a ${n(1024)} KB line`, async () => {
      await expectClean('FROM golang:1.22\nRUN echo ' + repeatTo('x', n(MB)) + '\nCMD ["/app"]\n');
    });

    test('a long line of shell syntax', async () => {
      await expectClean(
        'FROM golang:1.22\nRUN ' +
          repeatTo('go build -o "$(pwd)/${OUT:-app}" \'.\' | tee x && ', n(MB)) +
          'true\n',
      );
    });

    test('a long line of unbalanced quotes, substitutions and escapes', async () => {
      await expectClean('FROM golang:1.22\nRUN ' + repeatTo('"$(${\'`\\', n(MB)) + '\n');
    });

    test('a long exec-form array', async () => {
      await expectClean('FROM golang:1.22\nCMD [' + repeatTo('"a", ', n(MB)) + '"b"]\n');
    });

    test('deeply nested brackets in exec form', async () => {
      await expectClean(
        'FROM golang:1.22\nCMD ' + '['.repeat(n(200_000)) + ']'.repeat(n(200_000)) + '\n',
      );
    });

    test(`${n(50_000)} lines of stages`, async () => {
      await expectClean(manyStages(n(50_000)));
    });

    test(`${n(50_000)} continuation lines in one RUN`, async () => {
      await expectClean(
        'FROM golang:1.22\nRUN go build \\\n' +
          '  -tags netgo \\\n'.repeat(n(50_000)) +
          '  -o /app .\nCMD ["/app"]\n',
      );
    });

    test('binary garbage', async () => {
      await expectClean(binaryGarbage(n(256 * 1024)));
    });

    test('binary garbage after a valid start', async () => {
      await expectClean(
        'FROM golang:1.22\nRUN go build -o /app .\n' + binaryGarbage(n(64 * 1024), 11),
      );
    });

    test('an unterminated heredoc', async () => {
      await expectClean(
        'FROM golang:1.22\nRUN <<EOF\n' +
          'go build -o /app ./...\n'.repeat(n(20_000)) +
          'CMD ["/app"]\n',
      );
    });

    test('thousands of heredoc markers on one line', async () => {
      await expectClean(
        'FROM golang:1.22\nRUN cat ' + '<<EOF '.repeat(n(5_000)) + '\nEOF\n'.repeat(100),
      );
    });

    test('thousands of stages copying from unknown stages', async () => {
      const lines: string[] = [];
      for (let i = 0; i < n(3_000); i++) {
        lines.push(
          `FROM golang:1.22 AS stage-number-${i}`,
          `COPY --from=stage-numbr-${i + 1} /a /a`,
        );
      }
      await expectClean(lines.join('\n') + '\n');
    });

    test('thousands of distinct ENV variables before go commands', async () => {
      const lines = ['FROM golang:1.22'];
      for (let i = 0; i < n(4_000); i++)
        lines.push(`ENV VAR_${i}=${i}`, `RUN go build -o /bin/t${i} .`);
      await expectClean(lines.join('\n') + '\nCMD ["/bin/t0"]\n');
    });

    test('NUL characters, a BOM and lone surrogates everywhere', async () => {
      const text =
        '\uFEFFFROM golang:1.22\0\nRUN go\0 build -o /a\uD800pp .\n\uDC00CMD ["/a\0pp"]\n';
      await expectClean(repeatTo(text, n(200_000)));
    });

    // Regressions: both regexes were quadratic (a 100 KB line took 15-30 s).
    test('a COPY source with a long run of slashes', async () => {
      await expectClean(
        'FROM golang:1.22\nCOPY a' +
          '/'.repeat(n(1_000_000)) +
          'b/ /dst/\nRUN go build -o /app .\n',
        { context: { files: ['a/b', 'go.mod'] } },
      );
    });

    test('an image tag of unclosed variable references', async () => {
      await expectClean('FROM golang:' + '${'.repeat(n(500_000)) + '\nRUN go build -o /app .\n');
    });
  });
}
