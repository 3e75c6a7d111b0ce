import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze, buildModel } from '../../../server/src/core';
import { hoverAt } from '../../../server/src/core/stages/hover';
import { lines } from '../../support/rule-tester';
import { positionOf, textAt } from './positions';

const TEXT = lines(
  'FROM golang:1.24 AS build',
  'RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server',
  'FROM build AS test',
  'FROM gcr.io/distroless/static-debian13:nonroot',
  'COPY --from=build /out/server /server',
  'COPY --from=nowhere /x /x',
  'ENTRYPOINT ["/server"]',
);

describe('hover', () => {
  test('on a stage: base image, binaries built, who uses it', () => {
    const model = buildModel(TEXT);
    const hover = hoverAt(model, [], positionOf(TEXT, '--from=build', 0, 8));
    assert.ok(hover);
    assert.equal(textAt(TEXT, hover.range), 'build');
    assert.equal(
      hover.markdown,
      [
        '**Stage `build`** (stage 0 of 3)',
        '',
        'Base image: `golang:1.24`',
        '',
        'Builds: `/out/server`',
        '',
        'Used by:',
        '- stage `test` builds on it (line 3)',
        '- stage 2 copies from it (line 5)',
      ].join('\n'),
    );
  });

  test('on a stage built on another: the parent and the image at the root', () => {
    const hover = hoverAt(buildModel(TEXT), [], positionOf(TEXT, 'test', 0, 1));
    assert.match(hover?.markdown ?? '', /Built on stage `build`, from the image `golang:1\.24`/);
    assert.match(hover?.markdown ?? '', /No other stage uses it\./);
  });

  test('on a finding: the rule with a link to its page', () => {
    const diagnostics = analyze(TEXT);
    const hover = hoverAt(buildModel(TEXT), diagnostics, positionOf(TEXT, 'nowhere', 0, 2));
    assert.ok(hover);
    assert.match(
      hover.markdown,
      /^\*\*go-multistage\*\* \[`copy-from-unknown-stage`\]\(https:\/\/github\.com\/go-multistage\/go-multistage\/blob\/main\/server\/src\/core\/rules\/copy-from-unknown-stage\.md\): /,
    );
  });

  test('nothing elsewhere', () => {
    assert.equal(hoverAt(buildModel(TEXT), [], positionOf(TEXT, 'ENTRYPOINT')), undefined);
    assert.equal(hoverAt(buildModel(''), [], { line: 0, character: 0 }), undefined);
  });
});
