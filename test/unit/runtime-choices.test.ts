import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel } from '../../server/src/core';
import { DISTROLESS_BASE, runtimeChoices } from '../../server/src/core/convert/runtime-choices';
import { lines } from '../support/rule-tester';

const SINGLE = lines(
  'FROM golang:1.24',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o /app .',
  'CMD ["/app"]',
);

describe('runtime choices for Convert to multi-stage', () => {
  test('the default first, then scratch and alpine; no glibc base without cgo', () => {
    // Without the sources, what the program writes is unknown: distroless's root tag.
    const choices = runtimeChoices(buildModel(SINGLE));
    assert.deepEqual(
      choices.map((c) => `${c.label}${c.isDefault ? ' *' : ''}`),
      ['distroless static (root) *', 'scratch', 'alpine'],
    );
    assert.ok(choices[0].notes.some((n) => /runs as root, as the original did/.test(n)));
  });

  test('a configured image comes first, as configured', () => {
    // A non-root image fits a program whose sources show it writes nothing.
    const sources: Record<string, string> = {
      'go.mod': 'module example.com/app\n\ngo 1.24\n',
      'main.go': 'package main\n\nfunc main() { println("ok") }\n',
    };
    const context = { files: Object.keys(sources), readFile: (path: string) => sources[path] };
    const choices = runtimeChoices(
      buildModel(SINGLE, { context }),
      'cgr.dev/chainguard/static:latest',
    );
    assert.equal(choices[0].image, 'cgr.dev/chainguard/static:latest');
    assert.ok(choices[0].isDefault);
    assert.deepEqual(
      choices.map((c) => c.label),
      ['cgr.dev/chainguard/static:latest', 'distroless static :nonroot', 'scratch', 'alpine'],
    );
  });

  test('a cgo build gets distroless base, and the runtimes without glibc are left out', () => {
    // (its root tag without the sources; base :nonroot chosen explicitly is refused then)
    const cgo = SINGLE.replace('RUN go build', 'RUN CGO_ENABLED=1 go build');
    const choices = runtimeChoices(buildModel(cgo));
    assert.deepEqual(
      choices.map((c) => c.image),
      [DISTROLESS_BASE.replace(/:nonroot$/, '')],
    );
    assert.ok(choices[0].isDefault);
    assert.ok(choices[0].notes.some((n) => /CGO_ENABLED=1/.test(n)));
  });

  test('a runtime package gets the one runtime that installs it, saying so', () => {
    const apt = SINGLE.replace(
      'WORKDIR /src',
      'RUN apt-get update && apt-get install -y ffmpeg\nWORKDIR /src',
    );
    const choices = runtimeChoices(buildModel(apt));
    assert.deepEqual(
      choices.map((c) => `${c.image}: ${c.description}`),
      ['debian:trixie-slim: what this build needs instead (see the notes)'],
    );
    assert.ok(choices[0].notes.some((n) => /may need ffmpeg at run time/.test(n)));
  });

  test('nothing when the file cannot be converted', () => {
    assert.deepEqual(runtimeChoices(buildModel('FROM alpine\n')), []);
  });
});
