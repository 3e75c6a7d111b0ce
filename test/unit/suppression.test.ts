import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze, buildModel } from '../../server/src/core';
import { suppressionFix } from '../../server/src/core/engine/suppression';
import { applyEdits } from '../../server/src/core/text/edits';
import { lines } from '../support/rule-tester';

const BROKEN = [
  'FROM golang:1.24 AS build',
  'RUN go build -o /out/app .',
  'FROM scratch',
  'COPY --from=biuld /out/app /app',
  'CMD /app --port 80',
];

// The two rules these samples are about (others, such as unreachable-stage, may report too).
const UNDER_TEST = new Set(['copy-from-unknown-stage', 'shell-form-without-shell']);

function rules(text: string): string[] {
  return analyze(text)
    .map((d) => d.rule)
    .filter((rule) => UNDER_TEST.has(rule));
}

describe('suppression comments', () => {
  test('without comments, both findings', () => {
    assert.deepEqual(rules(lines(...BROKEN)), [
      'copy-from-unknown-stage',
      'shell-form-without-shell',
    ]);
  });

  test('# go-multistage ignore= silences the next instruction only', () => {
    const text = lines(
      ...BROKEN.slice(0, 3),
      '# go-multistage ignore=copy-from-unknown-stage',
      ...BROKEN.slice(3),
    );
    assert.deepEqual(rules(text), ['shell-form-without-shell']);
  });

  test('several ids, and a pragma among other comments directly above', () => {
    const text = lines(
      ...BROKEN.slice(0, 4),
      '# go-multistage ignore=shell-form-without-shell,cgo-libc-mismatch',
      '# the command is fine here',
      BROKEN[4],
    );
    assert.deepEqual(rules(text), ['copy-from-unknown-stage']);
  });

  test('blanks around the commas of a list; a reason after the list is not an id', () => {
    const spaced = lines(
      ...BROKEN.slice(0, 3),
      '# go-multistage global ignore=copy-from-unknown-stage , shell-form-without-shell',
      ...BROKEN.slice(3),
    );
    assert.deepEqual(rules(spaced), []);
    const reason = lines(
      ...BROKEN.slice(0, 4),
      '# go-multistage ignore=shell-form-without-shell the base gets a shell at deploy time',
      BROKEN[4],
    );
    assert.deepEqual(rules(reason), ['copy-from-unknown-stage']);
    const hadolint = lines(...BROKEN.slice(0, 4), '# hadolint ignore=DL3000, DL3025', BROKEN[4]);
    assert.deepEqual(rules(hadolint), ['copy-from-unknown-stage']);
  });

  test('a blank line between the pragma and the instruction breaks the link', () => {
    const text = lines(
      ...BROKEN.slice(0, 3),
      '# go-multistage ignore=copy-from-unknown-stage',
      '',
      ...BROKEN.slice(3),
    );
    assert.deepEqual(rules(text), ['copy-from-unknown-stage', 'shell-form-without-shell']);
  });

  test('# go-multistage global ignore= silences the file', () => {
    const text = lines(...BROKEN, '# go-multistage global ignore=shell-form-without-shell');
    assert.deepEqual(rules(text), ['copy-from-unknown-stage']);
  });

  test('hadolint ignore comments silence the same checks', () => {
    const text = lines(...BROKEN.slice(0, 3), '# hadolint ignore=DL3022', ...BROKEN.slice(3));
    assert.deepEqual(rules(text), ['shell-form-without-shell']);
    const global = lines('# hadolint global ignore=DL3025', ...BROKEN);
    assert.deepEqual(rules(global), ['copy-from-unknown-stage']);
    // An unrelated hadolint id silences nothing of ours.
    assert.equal(
      rules(lines(...BROKEN.slice(0, 3), '# hadolint ignore=DL3008', ...BROKEN.slice(3))).length,
      2,
    );
  });

  test('# check=skip= silences the same BuildKit checks', () => {
    assert.deepEqual(rules(lines('# check=skip=JSONArgsRecommended', ...BROKEN)), [
      'copy-from-unknown-stage',
    ]);
    assert.deepEqual(
      rules(lines('# syntax=docker/dockerfile:1', '# check=skip=all;error=true', ...BROKEN)),
      ['copy-from-unknown-stage'],
    );
  });

  test('# check=skip= above one instruction silences it alone, as BuildKit reads it', () => {
    const twice = [...BROKEN, 'HEALTHCHECK CMD /app check'];
    const above = (comments: string[]) =>
      rules(lines(...twice.slice(0, 4), ...comments, ...twice.slice(4)));
    assert.deepEqual(rules(lines(...twice)), [
      'copy-from-unknown-stage',
      'shell-form-without-shell',
      'shell-form-without-shell',
    ]);
    // Only the CMD below the comment; the HEALTHCHECK after it still reports.
    assert.deepEqual(above(['# check=skip=JSONArgsRecommended']), [
      'copy-from-unknown-stage',
      'shell-form-without-shell',
    ]);
    // Among other comments, with a blank line between, and with text after the value.
    assert.deepEqual(
      above(['# the image has no shell', '# check=skip=JSONArgsRecommended because', '']),
      ['copy-from-unknown-stage', 'shell-form-without-shell'],
    );
    // An empty comment line ends the comments that belong to the instruction.
    assert.deepEqual(above(['# check=skip=JSONArgsRecommended', '#']), [
      'copy-from-unknown-stage',
      'shell-form-without-shell',
      'shell-form-without-shell',
    ]);
    // BuildKit ids only: a go-multistage id in a check comment means nothing.
    assert.deepEqual(above(['# check=skip=shell-form-without-shell']).length, 3);
  });

  test('the "Disable <id> for this instruction" fix inserts the pragma, or extends one', () => {
    const text = lines(...BROKEN.slice(0, 4), '    ' + BROKEN[4]);
    const model = buildModel(text);
    const finding = analyze(text).find((d) => d.rule === 'shell-form-without-shell')!;
    const fix = suppressionFix(model, finding)!;
    assert.equal(fix.title, 'Disable shell-form-without-shell for this instruction');
    const once = applyEdits(text, fix.edits);
    assert.equal(
      once,
      lines(
        ...BROKEN.slice(0, 4),
        '    # go-multistage ignore=shell-form-without-shell',
        '    ' + BROKEN[4],
      ),
    );
    assert.deepEqual(rules(once), ['copy-from-unknown-stage']);
    const other = analyze(once).find((d) => d.rule === 'copy-from-unknown-stage')!;
    const twice = applyEdits(once, suppressionFix(buildModel(once), other)!.edits);
    assert.deepEqual(rules(twice), []);
    // Extending an existing pragma.
    const text2 = lines(
      ...BROKEN.slice(0, 3),
      '# go-multistage ignore=cgo-libc-mismatch',
      ...BROKEN.slice(3),
    );
    const finding2 = analyze(text2).find((d) => d.rule === 'copy-from-unknown-stage')!;
    const extended = applyEdits(text2, suppressionFix(buildModel(text2), finding2)!.edits);
    assert.match(extended, /# go-multistage ignore=cgo-libc-mismatch,copy-from-unknown-stage\n/);
  });
});
