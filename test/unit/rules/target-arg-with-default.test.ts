import assert from 'node:assert/strict';
import { test } from 'node:test';
import { targetArgWithDefault } from '../../../server/src/core/rules/target-arg-with-default';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

const build = 'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .';

ruleTester(targetArgWithDefault, {
  valid: [
    {
      name: 'declared without a default',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETOS TARGETARCH',
        build,
      ),
    },
    {
      name: 'TARGETOS=linux: every Linux platform has that value',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETOS=linux',
        'ARG TARGETARCH',
        build,
      ),
    },
    {
      name: 'a fallback after a declaration keeps the automatic value',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        'ARG TARGETARCH=${TARGETARCH:-amd64}',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
    },
    {
      name: 'a fallback after a declaration in the parent stage keeps the automatic value',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS base',
        'ARG TARGETARCH',
        'FROM base AS build',
        'ARG TARGETARCH=${TARGETARCH:-amd64}',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
    },
    {
      name: 'a global fallback for builders without BuildKit keeps the automatic value',
      code: lines(
        'ARG TARGETARCH=${TARGETARCH:-amd64}',
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
    },
    {
      name: 'a global default nothing reads',
      code: lines(
        'ARG TARGETARCH=amd64',
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
      ),
    },
    {
      name: 'other ARGs with defaults',
      code: lines('FROM golang:1.24', 'ARG GOARCH=amd64 VERSION=dev', 'RUN go build -o /app .'),
    },
  ],
  invalid: [
    {
      name: 'ARG TARGETARCH=amd64 in the stage',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETOS',
        'ARG TARGETARCH=amd64',
        build,
      ),
      findings: [
        {
          messageId: 'stageDefault',
          line: 3,
          column: 5,
          message:
            /`ARG TARGETARCH=amd64` in stage "build" overrides the value BuildKit sets.*every platform gets amd64.*Declare it as `ARG TARGETARCH`/,
        },
      ],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETOS',
        'ARG TARGETARCH',
        build,
      ),
    },
    {
      name: 'other names and the line are kept; quotes go with the default',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG VERSION=dev TARGETOS=linux TARGETARCH="amd64" TARGETVARIANT=',
        build,
      ),
      findings: [
        { messageId: 'stageDefault', line: 2, column: 32 },
        {
          messageId: 'stageDefault',
          line: 2,
          column: 51,
          message: /every platform gets the variant an empty string, where BuildKit gives v7/,
        },
      ],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG VERSION=dev TARGETOS=linux TARGETARCH TARGETVARIANT',
        build,
      ),
    },
    {
      name: 'TARGETVARIANT="" feeding GOARM: GOARM is empty, Go\'s default; the fix strips the v too',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETOS TARGETARCH',
        'ARG TARGETVARIANT=""',
        'ENV GOARM=${TARGETVARIANT}',
        build,
      ),
      findings: [
        {
          messageId: 'stageDefault',
          line: 3,
          column: 5,
          message:
            /GOARM, set from it, is empty on every platform, so Go builds linux\/arm\/v6 and v7 alike, for its default ARM version\. Declare it as `ARG TARGETVARIANT` and set GOARM from `\$\{TARGETVARIANT#v\}`/,
        },
      ],
      // ENV expands `${TARGETVARIANT#v}` from Dockerfile syntax 1.7 on: the directive comes along.
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETOS TARGETARCH',
        'ARG TARGETVARIANT',
        'ENV GOARM=${TARGETVARIANT#v}',
        build,
      ),
    },
    {
      name: 'an older syntax pinned: the default goes, the ENV is left for a person',
      code: lines(
        '# syntax=docker/dockerfile:1.4',
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETOS TARGETARCH',
        'ARG TARGETVARIANT=""',
        'ENV GOARM=${TARGETVARIANT}',
        build,
      ),
      findings: [{ messageId: 'stageDefault', line: 4 }],
      output: lines(
        '# syntax=docker/dockerfile:1.4',
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETOS TARGETARCH',
        'ARG TARGETVARIANT',
        'ENV GOARM=${TARGETVARIANT}',
        build,
      ),
    },
    {
      name: 'TARGETVARIANT="" in a parent stage feeding GOARM in the child: the fix strips the v there',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS base',
        'ARG TARGETOS TARGETARCH',
        'ARG TARGETVARIANT=""',
        'FROM base AS build',
        'ENV GOARM=${TARGETVARIANT}',
        build,
      ),
      findings: [
        {
          messageId: 'stageDefault',
          line: 3,
          column: 5,
          message: /GOARM, set from it, is empty on every platform/,
        },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS base',
        'ARG TARGETOS TARGETARCH',
        'ARG TARGETVARIANT',
        'FROM base AS build',
        'ENV GOARM=${TARGETVARIANT#v}',
        build,
      ),
    },
    {
      name: 'an empty TARGETARCH: Go builds for the build machine, not for an empty string',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        "ARG TARGETARCH=''",
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
      findings: [
        {
          messageId: 'stageDefault',
          line: 2,
          message: /a GOARCH set from it is empty, so Go builds for the machine running the build/,
        },
      ],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
    },
    {
      name: 'a global TARGETVARIANT="" that stages feed to GOARM',
      code: lines(
        'ARG TARGETVARIANT=""',
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETVARIANT',
        'RUN GOARM=$TARGETVARIANT go build -o /out/app .',
      ),
      findings: [
        {
          messageId: 'globalDefault',
          line: 1,
          column: 5,
          message: /GOARM, set from it, is empty on every platform/,
        },
      ],
      output: lines(
        'ARG TARGETVARIANT',
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETVARIANT',
        'RUN GOARM=${TARGETVARIANT#v} go build -o /out/app .',
      ),
    },
    {
      name: 'a fallback without an earlier declaration always gives the fallback',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH=${TARGETARCH:-amd64}',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
      findings: [{ messageId: 'stageDefault', line: 2, column: 5 }],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
    },
    {
      name: 'a global default that stages read through ARG TARGETARCH',
      code: lines(
        'ARG TARGETARCH=amd64',
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
      findings: [
        {
          messageId: 'globalDefault',
          line: 1,
          column: 5,
          message:
            /global `ARG TARGETARCH=amd64` replaces the value BuildKit predefines.*\$\{TARGETARCH:-amd64\}/,
        },
      ],
      output: lines(
        'ARG TARGETARCH',
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
    },
    {
      name: 'a global BUILDPLATFORM default pins the FROM --platform',
      code: lines(
        'ARG BUILDPLATFORM=linux/amd64',
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
      findings: [
        {
          messageId: 'globalDefault',
          line: 1,
          column: 5,
          message: /always run as linux\/amd64, under emulation/,
        },
      ],
      output: lines(
        'ARG BUILDPLATFORM',
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
    },
    {
      name: 'a global default kept only as a fallback (the second fix)',
      code: lines(
        'ARG TARGETARCH=amd64',
        'FROM golang:1.24-$TARGETARCH AS build',
        'RUN go build -o /out/app .',
      ),
      findings: [{ messageId: 'globalDefault', line: 1, column: 5 }],
      fix: /only as a fallback/,
      output: lines(
        'ARG TARGETARCH=${TARGETARCH:-amd64}',
        'FROM golang:1.24-$TARGETARCH AS build',
        'RUN go build -o /out/app .',
      ),
    },
    {
      name: 'lowercase, CRLF, a BUILD* ARG',
      code: [
        'from golang:1.24 as build',
        'arg BUILDARCH=amd64',
        'run curl -o /tool https://example.com/tool-$BUILDARCH && go build -o /app .',
        '',
      ].join('\r\n'),
      findings: [
        {
          messageId: 'stageDefault',
          line: 2,
          column: 5,
          message: /build machine is taken to be amd64/,
        },
      ],
      output: [
        'from golang:1.24 as build',
        'arg BUILDARCH',
        'run curl -o /tool https://example.com/tool-$BUILDARCH && go build -o /app .',
        '',
      ].join('\r\n'),
    },
  ],
});

test('target-arg-with-default: removing a default is never applied blindly', () => {
  // The value each platform then gets may change more than the finding (a GOARM that rejects
  // BuildKit's v7, a tool downloaded for $TARGETARCH and run on the build machine).
  for (const code of [
    lines('FROM golang:1.24', 'ARG TARGETARCH=amd64', 'RUN GOARCH=$TARGETARCH go build -o /app .'),
    lines('FROM golang:1.24', 'ARG TARGETVARIANT=""', 'ENV GOARM=${TARGETVARIANT}'),
    lines('ARG TARGETARCH=amd64', 'FROM golang:1.24-$TARGETARCH', 'RUN go build -o /app .'),
  ]) {
    const found = runRule(targetArgWithDefault, code);
    assert.equal(found.length, 1);
    assert.ok(found[0].fixes.every((f) => f.safe !== true));
  }
});
