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

  test('on a finding: its reasoning and the link to its page, never its message again', () => {
    const [finding] = analyze(TEXT).filter((d) => d.rule === 'copy-from-unknown-stage');
    const position = positionOf(TEXT, 'nowhere', 0, 2);
    const link = (rule: string) => `file:///pages/${rule}.md`;
    const detailed = { ...finding, detail: 'BuildKit would pull an image named "nowhere".' };
    const hover = hoverAt(buildModel(TEXT), [detailed], position, { ruleLink: link });
    assert.equal(
      hover?.markdown,
      'BuildKit would pull an image named "nowhere". [More…](file:///pages/copy-from-unknown-stage.md)',
    );
    assert.deepEqual(hover?.range, finding.range);
    assert.ok(!hover?.markdown.includes(finding.message));
    // Without a page to point at, the reasoning alone.
    assert.equal(
      hoverAt(buildModel(TEXT), [detailed], position)?.markdown,
      'BuildKit would pull an image named "nowhere".',
    );
    // A finding whose message says it all: the editor shows it, the hover adds nothing.
    const bare = { ...finding, detail: undefined };
    assert.equal(hoverAt(buildModel(TEXT), [bare], position, { ruleLink: link }), undefined);
  });

  test('nothing elsewhere', () => {
    assert.equal(hoverAt(buildModel(TEXT), [], positionOf(TEXT, 'ENTRYPOINT')), undefined);
    assert.equal(hoverAt(buildModel(''), [], { line: 0, character: 0 }), undefined);
  });
});
