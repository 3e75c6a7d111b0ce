import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel } from '../../../server/src/core';
import { golangTags, stageCompletions } from '../../../server/src/core/stages/completion';
import { applyEdits } from '../../../server/src/core/text/edits';
import { lines } from '../../support/rule-tester';
import { CURRENT_GO, OLDEST_SUPPORTED_GO } from '../../support/go-versions';

const GO_MOD = 'module example.com/app\n\ngo 1.24.5\n';

/** Completions at the `|` in the text. */
function complete(marked: string, goMod?: string) {
  const at = marked.indexOf('|');
  const text = marked.slice(0, at) + marked.slice(at + 1);
  const before = text.slice(0, at).split(/\r\n|\n/);
  const position = { line: before.length - 1, character: before[before.length - 1].length };
  const items = stageCompletions(buildModel(text, { goMod }), position, goMod);
  return {
    labels: items.map((i) => i.label),
    items,
    apply: (label: string) => {
      const item = items.find((i) => i.label === label);
      assert.ok(item, `no item ${label}`);
      return applyEdits(text, [{ range: item.range, newText: item.newText }]);
    },
  };
}

const STAGES = lines(
  'FROM golang:1.24.5 AS build',
  'FROM build AS test',
  'FROM golang:1.24.5-alpine',
);

describe('stage-aware completion', () => {
  test('COPY --from= offers the earlier stages, nearest first, with their base', () => {
    const { items, apply } = complete(STAGES + 'FROM alpine AS runtime\nCOPY --from=|');
    assert.deepEqual(
      items.map((i) => `${i.label} (${i.detail})`),
      ['2 (golang:1.24.5-alpine)', 'test (FROM build)', 'build (golang:1.24.5)'],
    );
    assert.match(apply('build'), /\nCOPY --from=build$/);
  });

  test('a half-typed name is replaced whole; ADD too; never the stage itself or later ones', () => {
    const { labels, apply } = complete(
      lines(
        'FROM golang:1.24 AS build',
        'FROM alpine AS rt',
        'ADD --from=bu| /a /a',
        'FROM x AS later',
      ),
    );
    assert.deepEqual(labels, ['build']);
    assert.match(apply('build'), /^ADD --from=build \/a \/a$/m);
    assert.deepEqual(complete('FROM golang:1.24 AS build\nCOPY --from=|').labels, []);
    assert.deepEqual(complete('COPY --from=|').labels, []);
  });

  test('COPY --fr completes the whole flag', () => {
    const { labels } = complete(lines('FROM golang:1.24 AS build', 'FROM alpine') + 'COPY --fr|');
    assert.deepEqual(labels, ['--from=build']);
  });

  test('RUN --mount= offers the Go caches, bind and secret mounts', () => {
    const { labels, apply } = complete('FROM golang:1.24\nRUN --mount=|');
    assert.deepEqual(labels.slice(0, 3), [
      'type=cache,target=/go/pkg/mod',
      'type=cache,target=/root/.cache/go-build',
      'type=bind,target=.',
    ]);
    assert.ok(labels.some((l) => l.startsWith('type=secret,')));
    assert.ok(labels.some((l) => l.startsWith('type=bind,source=go.mod')));
    assert.equal(
      apply('type=cache,target=/go/pkg/mod'),
      'FROM golang:1.24\nRUN --mount=type=cache,target=/go/pkg/mod',
    );
  });

  test('the caches follow ENV GOMODCACHE / GOCACHE of the stage', () => {
    const { labels } = complete(
      'FROM golang:1.24\nENV GOCACHE=/cache/go GOPATH=/gopath\nRUN --mount=type=c|',
    );
    assert.deepEqual(labels.slice(0, 2), [
      'type=cache,target=/gopath/pkg/mod',
      'type=cache,target=/cache/go',
    ]);
  });

  test('a mount from= offers stage names (never indexes)', () => {
    const { labels, apply } = complete(
      lines('FROM golang:1.24', 'FROM golang:1.24 AS deps', 'FROM alpine') +
        'RUN --mount=type=bind,from=|,target=/x true',
    );
    assert.deepEqual(labels, ['deps']);
    assert.match(apply('deps'), /RUN --mount=type=bind,from=deps,target=\/x true$/);
  });

  test('a continuation line of RUN completes mounts too', () => {
    const { labels } = complete(
      'FROM golang:1.24\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    --mount=|',
    );
    assert.ok(labels.length > 0);
  });

  test('FROM --platform= offers $BUILDPLATFORM; FROM offers the flag', () => {
    const { labels, apply } = complete('FROM --platform=|');
    assert.deepEqual(labels, ['$BUILDPLATFORM']);
    assert.equal(apply('$BUILDPLATFORM'), 'FROM --platform=$BUILDPLATFORM');
    assert.deepEqual(complete('FROM --pl|').labels, ['--platform=$BUILDPLATFORM']);
  });

  test('FROM golang: offers the tags of go.mod’s Go version', () => {
    const goMod = `module example.com/app\n\ngo ${CURRENT_GO}.1\n`;
    const { labels, items, apply } = complete('FROM golang:|', goMod);
    // The minor release's tags, which follow the patch releases.
    assert.deepEqual(
      labels,
      golangTags(CURRENT_GO).map((t) => t.tag),
    );
    assert.equal(labels[0], CURRENT_GO);
    assert.equal(apply(`${CURRENT_GO}-alpine`), `FROM golang:${CURRENT_GO}-alpine`);
    assert.match(
      items[0].detail ?? '',
      new RegExp(`go\\.mod: Go ${CURRENT_GO.replace('.', '\\.')}$`),
    );
    assert.equal(
      complete('FROM --platform=$BUILDPLATFORM docker.io/library/golang:1.2|', goMod).labels.length,
      labels.length,
    );
    assert.deepEqual(complete('FROM golang:|').labels, [], 'nothing without go.mod');
  });

  test('FROM golang: offers the oldest supported Go when go.mod’s is out of support', () => {
    // go 1.24.5: golang-image-outdated would report golang:1.24; any newer Go builds the module.
    const { labels, items } = complete('FROM golang:|', GO_MOD);
    assert.deepEqual(
      labels,
      golangTags(OLDEST_SUPPORTED_GO).map((t) => t.tag),
    );
    assert.equal(labels[0], OLDEST_SUPPORTED_GO);
    assert.match(items[0].detail ?? '', /go\.mod: Go 1\.24, out of support/);
    assert.match(items[0].documentation ?? '', /golang-image-outdated/);
  });

  test('golang tags: trixie from Go 1.25', () => {
    assert.deepEqual(
      golangTags('1.25.1').map((t) => t.tag),
      ['1.25.1', '1.25.1-alpine', '1.25.1-trixie', '1.25.1-bookworm'],
    );
  });

  test('FROM | offers earlier stages, golang for go.mod and the platform flag', () => {
    const goMod = `module example.com/app\n\ngo ${CURRENT_GO}.1\n`;
    const { labels } = complete('FROM golang:1.24 AS build\nFROM |', goMod);
    assert.deepEqual(labels, [
      'build',
      ...golangTags(CURRENT_GO).map((t) => `golang:${t.tag}`),
      '--platform=$BUILDPLATFORM',
    ]);
    assert.deepEqual(complete('FROM golang:1.24 AS build\nFROM build AS |').labels, []);
  });

  test('CRLF and other instructions: sensible, no exceptions', () => {
    assert.deepEqual(
      complete('FROM golang:1.24 AS build\r\nFROM alpine\r\nCOPY --from=|\r\n').labels,
      ['build'],
    );
    for (const marked of [
      '|',
      'FR|',
      'FROM|',
      'ENV A=|',
      'COPY |',
      'RUN |',
      'RUN --mount=type=bind,from=|',
      '# COPY --from=|',
    ]) {
      assert.doesNotThrow(() => complete(marked), marked);
    }
    assert.deepEqual(
      complete('FROM golang:1.24 AS build\nFROM alpine\n# COPY --from=|').labels,
      [],
    );
  });
});
