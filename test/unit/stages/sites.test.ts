import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel } from '../../../server/src/core';
import { sitesOfStage, stageSiteAt, stageSites } from '../../../server/src/core/stages/sites';
import { lines } from '../../support/rule-tester';
import { positionOf, textAt } from './positions';

function referencesAt(text: string, needle: string, nth = 0) {
  const model = buildModel(text);
  const site = stageSiteAt(model, positionOf(text, needle, nth, 1));
  assert.ok(site, `a stage site at "${needle}" #${nth}`);
  return sitesOfStage(model, site.stage).map((s) => `${s.kind} ${textAt(text, s.range)}`);
}

describe('stage sites', () => {
  test('the declaration and every reference, by name case-insensitively', () => {
    const text = lines(
      'FROM golang:1.24 AS Build',
      'RUN go build -o /out/app .',
      'FROM build AS test',
      'RUN --mount=type=bind,from=BUILD,target=/src go test ./...',
      'FROM alpine',
      'COPY --from=build /out/app /app',
      'COPY --from=0 /out/app /app2',
    );
    assert.deepEqual(referencesAt(text, 'Build'), [
      'declaration Build',
      'from build',
      'mount BUILD',
      'copy build',
      'copy 0',
    ]);
    // From any of them, the same list.
    assert.deepEqual(referencesAt(text, '=0'), referencesAt(text, 'BUILD'));
  });

  test('a stage named like an image shadows the image after it, not before', () => {
    const text = lines(
      'FROM alpine AS base',
      'FROM alpine:3.20 AS alpine',
      'RUN apk add --no-cache ca-certificates',
      'FROM alpine',
      'COPY --from=alpine /etc/ssl /etc/ssl',
    );
    const model = buildModel(text);
    assert.equal(stageSiteAt(model, positionOf(text, 'alpine', 0, 1)), undefined, 'the image');
    assert.deepEqual(referencesAt(text, 'alpine', 2), [
      'declaration alpine',
      'from alpine',
      'copy alpine',
    ]);
  });

  test('a mount from= is a name only; COPY --from= takes an index', () => {
    const text = lines(
      'FROM golang:1.24',
      'FROM alpine',
      'RUN --mount=from=0,target=/x true',
      'COPY --from=0 /a /a',
    );
    const model = buildModel(text);
    assert.deepEqual(
      stageSites(model).sites.map((s) => `${s.kind} ${s.text} -> ${s.stage.index}`),
      ['copy 0 -> 0'],
    );
    assert.deepEqual(
      stageSites(model).images.map((s) => `${s.kind} ${s.value}`),
      ['from golang:1.24', 'from alpine', 'mount 0'],
    );
  });

  test('references through variables resolve and are marked', () => {
    const text = lines(
      'ARG BUILDER=build',
      'FROM golang:1.24 AS build',
      'FROM alpine',
      'ARG SRC=build',
      'COPY --from=${SRC} /a /a',
      'FROM ${BUILDER} AS again',
    );
    const model = buildModel(text);
    const dynamic = stageSites(model).sites.filter((s) => s.dynamic);
    assert.deepEqual(
      dynamic.map((s) => `${s.kind} ${s.text}`),
      ['copy ${SRC}', 'from ${BUILDER}'],
    );
    assert.ok(dynamic.every((s) => s.stage.name === 'build'));
  });

  test('a COPY --from a later stage still refers to it', () => {
    const text = lines('FROM alpine', 'COPY --from=later /a /a', 'FROM golang:1.24 AS later');
    assert.deepEqual(referencesAt(text, 'later', 0), ['copy later', 'declaration later']);
  });

  test('half-typed lines and a file without stages give no sites and no exceptions', () => {
    for (const text of [
      '',
      '# just a comment\n',
      'ARG X=1\n',
      'FROM\n',
      'FROM golang:1.24 AS\n',
      'FROM golang:1.24 AS build\nCOPY --from=\n',
      'FROM golang:1.24 AS build\nRUN --mount=\n',
      'FROM golang:1.24 AS build\nRUN --mount=type=bind,from=\n',
    ]) {
      const model = buildModel(text);
      const sites = stageSites(model).sites;
      assert.ok(
        sites.every((s) => s.kind === 'declaration'),
        JSON.stringify(text),
      );
    }
  });

  test('CRLF line ends give the same columns', () => {
    const text = 'FROM golang:1.24 AS build\r\nFROM alpine\r\nCOPY --from=build /a /a\r\n';
    assert.deepEqual(referencesAt(text, 'build', 1), ['declaration build', 'copy build']);
    const model = buildModel(text);
    assert.deepEqual(stageSites(model).sites[1].range, {
      start: { line: 2, character: 12 },
      end: { line: 2, character: 17 },
    });
  });
});
