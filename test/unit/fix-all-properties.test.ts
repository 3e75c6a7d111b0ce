// Fix-all changes nothing about the image beyond its findings, as far as the text shows: no Go
// setting of a stage or a go command, no base image or platform, no COPY --from read and no
// start program changes (fix-invariants.ts). Checked on generated Dockerfiles full of what the
// safe fixes act on, with a fixed seed; `npm run test:corpus` checks the real-world corpus.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { analyze, buildModel } from '../../server/src/core';
import { fixAll, safeFix } from '../../server/src/core/engine/fix-all';
import { buildInvariants, invariantChanges } from '../../server/src/core/engine/fix-invariants';
import type { AnalyzeOptions } from '../../server/src/core/types';
import { LINES } from '../support/arbitraries';
import { dockerfileFixtures } from '../support/fixtures';
import { lines } from '../support/rule-tester';

/** Lines that draw findings with fixes, safe ones and suggestions, mixed with the usual ones. */
const FIXABLE: readonly string[] = [
  '# syntax=docker/dockerfile:1',
  'ARG TARGETOS TARGETARCH TARGETVARIANT',
  'ARG TARGETARCH=amd64',
  'ARG TARGETVARIANT=""',
  'ARG TARGETVARIANT=v7',
  'ARG BUILDPLATFORM=linux/amd64',
  'ENV GOARM=${TARGETVARIANT}',
  'ENV GOOS=$TARGETOS GOARCH=$TARGETARCH',
  'ENV GO111MODULE=on',
  'ARG GO111MODULE=on',
  'ENV CGO_ENABLED=0',
  'ENV GOFLAGS=-mod=vendor',
  'RUN go env -w GO111MODULE=auto',
  'RUN GOARM=$TARGETVARIANT go build -o /out/app .',
  'RUN GOARCH=$TARGETARCH go build -o /out/app .',
  'RUN GOARCH=${TARGETARCH:-amd64} go build -o /out/app .',
  'RUN CGO_ENABLED=0 GO111MODULE=on go build -a -installsuffix cgo -o /out/app .',
  'RUN GO111MODULE=on go mod download',
  'RUN go build -ldflags "-s -w" -ldflags "-X main.version=1" -o /out/app .',
  'RUN /app --migrate',
  'COPY --from=0 /out/app /app',
  'COPY --from=build /out/server /app',
  'COPY --from=build /out/app /usr/local/bin/app',
  'ENTRYPOINT ["/server"]',
  'ENTRYPOINT ["/app"]',
  'CMD /app --port 8080',
  'USER root',
  'USER nobody',
  'WORKDIR /go/src/github.com/acme/app',
];

const FROMS: readonly string[] = [
  'FROM golang:1.24 AS build',
  'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS build',
  'FROM golang:1.15',
  'FROM golang AS build',
  'FROM build AS test',
  'FROM scratch',
  'FROM gcr.io/distroless/static-debian13',
  'FROM alpine:3.20',
];

const BODY = [...FIXABLE, ...LINES.filter((line) => !/^FROM\b/.test(line))];

const stage = fc
  .tuple(fc.constantFrom(...FROMS), fc.array(fc.constantFrom(...BODY), { maxLength: 8 }))
  .map(([from, body]) => [from, ...body]);

const dockerfile = fc
  .tuple(
    fc.array(fc.constantFrom('# syntax=docker/dockerfile:1', 'ARG TARGETVARIANT=""'), {
      maxLength: 1,
    }),
    fc.array(stage, { minLength: 1, maxLength: 4 }),
    fc.constantFrom('\n', '\r\n'),
  )
  .map(([preamble, stages, eol]) => [...preamble, ...stages.flat(), ''].join(eol));

const goMod = fc.constantFrom(
  undefined,
  'module example.com/app\n\ngo 1.24\n',
  'module github.com/acme/app\n\ngo 1.25.0\n',
);

/** The differences fix-all makes to what a safe fix must keep. */
function violations(text: string, options: AnalyzeOptions): string[] {
  const before = buildInvariants(buildModel(text, options));
  const fixed = fixAll(text, options).text;
  return invariantChanges(before, buildInvariants(buildModel(fixed, options)));
}

describe('fix-all keeps what the image is built from', () => {
  test('the check sees the changes a fix must not make', () => {
    const changes = (from: string, to: string) =>
      invariantChanges(buildInvariants(buildModel(from)), buildInvariants(buildModel(to)));
    const head = [
      'FROM golang:1.24 AS build',
      'ARG TARGETVARIANT=""',
      'ENV GOARM=${TARGETVARIANT}',
    ];
    assert.deepEqual(
      changes(
        lines(...head),
        lines('FROM golang:1.24 AS build', 'ARG TARGETVARIANT', 'ENV GOARM=${TARGETVARIANT}'),
      ),
      ['stage 0 at its end: GOARM "" → null'],
    );
    // An inline GOARCH=$TARGETARCH is worked out from the stage's ARG, as the shell does.
    assert.deepEqual(
      changes(
        lines('FROM golang:1.24', 'ARG TARGETARCH=amd64', 'RUN GOARCH=$TARGETARCH go build .'),
        lines('FROM golang:1.24', 'ARG TARGETARCH', 'RUN GOARCH=$TARGETARCH go build .'),
      ),
      ['stage 0, go command 1 (go build): GOARCH "amd64" → null'],
    );
    const runtime = ['FROM scratch', 'COPY --from=build /out/app /app', 'ENTRYPOINT ["/app"]'];
    assert.deepEqual(
      changes(
        lines('FROM golang:1.24 AS build', ...runtime),
        lines(
          'FROM golang:1.25 AS build',
          'FROM scratch',
          'COPY --from=build /out/server /app',
          'ENTRYPOINT ["/server"]',
        ),
      ),
      [
        'stage 0: base golang:1.24 → golang:1.25',
        'stage 1: COPY --from reads stage 0 /out/app no more',
        'stage 1: ENTRYPOINT runs "/app" → "/server"',
      ],
    );
    // Modules are on by default from Go 1.16: removing GO111MODULE=on there changes nothing.
    assert.deepEqual(
      changes(
        lines('FROM golang:1.24', 'ENV GO111MODULE=on', 'RUN go build -o /app .'),
        lines('FROM golang:1.24', 'RUN go build -o /app .'),
      ),
      [],
    );
    // A COPY --from added (the CA bundle) is no change to what was read.
    assert.deepEqual(
      changes(
        lines(...runtime.slice(0, 2)),
        lines(runtime[0], 'COPY --from=build /etc/ssl/certs /etc/ssl/certs', runtime[1]),
      ),
      [],
    );
  });

  test('on generated Dockerfiles', () => {
    let applied = 0;
    const rules = new Set<string>();
    fc.assert(
      fc.property(dockerfile, goMod, (text, mod) => {
        const options: AnalyzeOptions = mod === undefined ? {} : { goMod: mod };
        for (const d of analyze(text, options)) if (safeFix(d.fixes)) rules.add(d.rule);
        applied += fixAll(text, options).applied;
        assert.deepEqual(violations(text, options), [], `input:\n${text}`);
      }),
      { numRuns: Number(process.env.GO_MULTISTAGE_FIX_RUNS ?? 150), seed: 20_251_204 },
    );
    // The inputs exercise the safe fixes (else the property would hold for nothing).
    assert.ok(applied > 50, `only ${applied} fixes applied`);
    for (const rule of [
      'obsolete-go-build-flags',
      'goarm-from-targetvariant',
      'shell-form-without-shell',
      'copy-from-stage-index',
    ]) {
      assert.ok(rules.has(rule), `no safe fix of ${rule} was offered`);
    }
  });

  test('on the fixture Dockerfiles', () => {
    const fixtures = dockerfileFixtures();
    assert.ok(fixtures.length > 0);
    for (const fixture of fixtures) {
      assert.deepEqual(violations(fixture.text, {}), [], fixture.name);
    }
  });
});
