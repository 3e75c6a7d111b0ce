// Inputs far outside what people write: the core must still answer, in bounded time and memory,
// with well-formed findings. The limits (a worker with a 1 GB heap and two minutes per input)
// only catch hangs and runaway memory; speed is measured by `npm run bench`, not here.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { GuardedChecker } from '../support/guarded-check';
import { binaryGarbage, manyStages, MB, repeatTo } from '../support/large-inputs';

const checker = new GuardedChecker({ timeoutMs: 120_000, heapMb: 1024 });
after(() => checker.close());

// Applying every fix would re-analyse the whole input once per finding; these inputs check the
// analysis and the conversion, the fuzz suites check the fixes.
const expectClean = async (text: string) => {
  assert.deepEqual(await checker.check(text, { fixes: false }), []);
};

describe('pathological inputs are analysed cleanly', () => {
  test('a 1 MB line', async () => {
    await expectClean('FROM golang:1.22\nRUN echo ' + repeatTo('x', MB) + '\nCMD ["/app"]\n');
  });

  test('a 1 MB line of shell syntax', async () => {
    await expectClean(
      'FROM golang:1.22\nRUN ' + repeatTo('go build -o "$(pwd)/${OUT:-app}" \'.\' | tee x && ', MB) + 'true\n',
    );
  });

  test('a 1 MB line of unbalanced quotes, substitutions and escapes', async () => {
    await expectClean('FROM golang:1.22\nRUN ' + repeatTo('"$(${\'`\\', MB) + '\n');
  });

  test('a 1 MB exec-form array', async () => {
    await expectClean('FROM golang:1.22\nCMD [' + repeatTo('"a", ', MB) + '"b"]\n');
  });

  test('deeply nested brackets in exec form', async () => {
    await expectClean('FROM golang:1.22\nCMD ' + '['.repeat(200_000) + ']'.repeat(200_000) + '\n');
  });

  test('50,000 lines of stages', async () => {
    await expectClean(manyStages(50_000));
  });

  test('50,000 continuation lines in one RUN', async () => {
    await expectClean(
      'FROM golang:1.22\nRUN go build \\\n' + '  -tags netgo \\\n'.repeat(50_000) + '  -o /app .\nCMD ["/app"]\n',
    );
  });

  test('binary garbage', async () => {
    await expectClean(binaryGarbage(256 * 1024));
  });

  test('binary garbage after a valid start', async () => {
    await expectClean('FROM golang:1.22\nRUN go build -o /app .\n' + binaryGarbage(64 * 1024, 11));
  });

  test('an unterminated heredoc', async () => {
    await expectClean(
      'FROM golang:1.22\nRUN <<EOF\n' + 'go build -o /app ./...\n'.repeat(20_000) + 'CMD ["/app"]\n',
    );
  });

  test('thousands of heredoc markers on one line', async () => {
    await expectClean('FROM golang:1.22\nRUN cat ' + '<<EOF '.repeat(5_000) + '\nEOF\n'.repeat(100));
  });

  test('thousands of stages copying from unknown stages', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      lines.push(`FROM golang:1.22 AS stage-number-${i}`, `COPY --from=stage-numbr-${i + 1} /a /a`);
    }
    await expectClean(lines.join('\n') + '\n');
  });

  test('thousands of distinct ENV variables before go commands', async () => {
    const lines = ['FROM golang:1.22'];
    for (let i = 0; i < 4_000; i++) lines.push(`ENV VAR_${i}=${i}`, `RUN go build -o /bin/t${i} .`);
    await expectClean(lines.join('\n') + '\nCMD ["/bin/t0"]\n');
  });

  test('NUL characters, a BOM and lone surrogates everywhere', async () => {
    const text = '\uFEFFFROM golang:1.22\0\nRUN go\0 build -o /a\uD800pp .\n\uDC00CMD ["/a\0pp"]\n';
    await expectClean(repeatTo(text, 200_000));
  });
});
