import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../server/src/core';
import { fixAll, minimalEdit } from '../../server/src/core/engine/fix-all';
import { applyEdits } from '../../server/src/core/text/edits';
import { lines } from '../support/rule-tester';

describe('fix-all', () => {
  const broken = lines(
    'FROM golang:1.24',
    'RUN CGO_ENABLED=0 go build -o /out/server .',
    'FROM gcr.io/distroless/static-debian13:nonroot',
    'COPY --from=0 /out/server /app',
    'CMD /app --port 80',
  );

  test('applies every safe fix, analysing again between passes', () => {
    const result = fixAll(broken);
    assert.equal(
      result.text,
      lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/server .',
        'FROM gcr.io/distroless/static-debian13:nonroot',
        'COPY --from=build /out/server /app',
        'CMD ["/app", "--port", "80"]',
      ),
    );
    assert.equal(result.applied, 2);
    assert.deepEqual(
      analyze(result.text).filter((d) => d.severity === 'error'),
      [],
    );
  });

  test('leaves a path the model thinks wrong to the user: the file may come from elsewhere', () => {
    const missing = broken.replace('--from=0 /out/server', '--from=0 /out/app');
    const result = fixAll(missing);
    assert.match(result.text, /COPY --from=build \/out\/app \/app/);
    assert.ok(analyze(result.text).some((d) => d.rule === 'copy-from-missing-artifact'));
  });

  test('leaves a guessed stage name to the user (a suggestion, not a safe fix)', () => {
    const typo = broken.replace('--from=0', '--from=biuld');
    const result = fixAll(typo);
    assert.match(result.text, /COPY --from=biuld \/out\/server \/app/);
    assert.ok(analyze(result.text).some((d) => d.rule === 'copy-from-unknown-stage'));
  });

  test('is idempotent and leaves a clean file unchanged', () => {
    const once = fixAll(broken).text;
    assert.deepEqual(fixAll(once), { text: once, applied: 0 });
  });

  test('never converts to multi-stage (not a safe fix)', () => {
    const single = lines(
      'FROM golang:1.24',
      'WORKDIR /src',
      'COPY . .',
      'RUN go build -o app .',
      'CMD ["./app"]',
    );
    assert.deepEqual(fixAll(single), { text: single, applied: 0 });
  });

  test('respects rules turned off', () => {
    const result = fixAll(broken, { rules: { 'shell-form-without-shell': 'off' } });
    assert.match(result.text, /CMD \/app --port 80/);
  });

  test('minimalEdit keeps the common prefix and suffix', () => {
    const before = 'a\r\nb\r\nc\r\n';
    const after = 'a\r\nB\r\nc\r\n';
    const edit = minimalEdit(before, after)!;
    assert.deepEqual(edit.range, {
      start: { line: 1, character: 0 },
      end: { line: 1, character: 1 },
    });
    assert.equal(applyEdits(before, [edit]), after);
    assert.equal(minimalEdit(before, before), undefined);
  });
});
