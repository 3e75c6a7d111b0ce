import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goarmFromTargetvariant } from '../../../server/src/core/rules/goarm-from-targetvariant';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

const from = 'FROM --platform=$BUILDPLATFORM golang:1.24 AS build';
const declare = 'ARG TARGETOS TARGETARCH TARGETVARIANT';
const invalid =
  /passes BuildKit's variant, "v7" on linux\/arm\/v7.*"go: invalid GOARM"\. Use \$\{TARGETVARIANT#v\}\.$/;

ruleTester(goarmFromTargetvariant, {
  valid: [
    {
      name: 'the v stripped in the shell',
      code: lines(from, declare, 'RUN GOARM=${TARGETVARIANT#v} go build -o /out/app .'),
    },
    {
      name: 'the v stripped in ENV (Dockerfile syntax 1.7)',
      code: lines('# syntax=docker/dockerfile:1', from, declare, 'ENV GOARM=${TARGETVARIANT#v}'),
    },
    {
      name: 'other ways of stripping it, and the variant inside a longer value',
      code: lines(
        from,
        declare,
        'RUN GOARM=${TARGETVARIANT:1} go build -o /out/a . && \\',
        '    GOARM="$(echo $TARGETVARIANT | tr -d v)" go build -o /out/b . && \\',
        '    curl -o /tmp/t https://example.com/tool-${TARGETARCH}${TARGETVARIANT} && \\',
        '    XGOARM=$TARGETVARIANT go build -o /out/c .',
      ),
    },
    {
      name: 'a case over the platform sets GOARM from literals',
      code: lines(
        from,
        'ARG TARGETPLATFORM',
        'RUN case "$TARGETPLATFORM" in linux/arm/v7) export GOARM=7 ;; esac && go build -o /out/app .',
      ),
    },
    {
      name: 'an undeclared variant is always empty (target-arg-undeclared reports it)',
      code: lines(from, 'RUN GOARM=$TARGETVARIANT go build -o /out/app .'),
    },
    {
      name: 'a default without a v is what GOARM gets (target-arg-with-default reports it)',
      code: lines(from, 'ARG TARGETVARIANT=""', 'ENV GOARM=${TARGETVARIANT}'),
    },
    {
      name: 'a later RUN sets GOARM again from its own value, without the v',
      code: lines(
        from,
        declare,
        'ENV GOOS=${TARGETOS} GOARCH=${TARGETARCH} GOARM=${TARGETVARIANT}',
        'RUN export GOARM=$( echo "${GOARM}" | cut -c2-) && go build -o /out/app .',
      ),
    },
    {
      name: 'passed to make, which may set GOARM itself',
      code: lines(
        from,
        declare,
        'RUN if [ "$TARGETARCH" = arm ]; then GOARM=${TARGETVARIANT} make build.arm; fi',
      ),
    },
    {
      name: 'single quotes: the shell does not expand it',
      code: lines(from, declare, "RUN echo 'GOARM=$TARGETVARIANT' > /tmp/note"),
    },
  ],
  invalid: [
    {
      name: 'inline on go build: fixed in the shell',
      code: lines(
        from,
        declare,
        'RUN GOOS=$TARGETOS GOARM=${TARGETVARIANT} go build -o /out/app .',
      ),
      findings: [
        { messageId: 'variantAsGoarm', line: 3, column: 26, severity: 'warning', message: invalid },
      ],
      output: lines(
        from,
        declare,
        'RUN GOOS=$TARGETOS GOARM=${TARGETVARIANT#v} go build -o /out/app .',
      ),
    },
    {
      name: 'export, env and go env -w, quoted or not, with BUILDVARIANT too',
      code: lines(
        from,
        'ARG TARGETVARIANT BUILDVARIANT',
        'RUN export GOARM="$TARGETVARIANT" && env "GOARM=${TARGETVARIANT}" go build -o /out/a .',
        'RUN go env -w GOARM=$BUILDVARIANT && go build -o /out/tool ./cmd/tool',
      ),
      findings: [
        {
          messageId: 'variantAsGoarm',
          line: 3,
          column: 19,
          message: /^GOARM=\$TARGETVARIANT passes/,
        },
        { messageId: 'variantAsGoarm', line: 3, column: 49 },
        {
          messageId: 'variantAsGoarm',
          line: 4,
          column: 21,
          message: /Use \$\{BUILDVARIANT#v\}\.$/,
        },
      ],
      output: lines(
        from,
        'ARG TARGETVARIANT BUILDVARIANT',
        'RUN export GOARM="${TARGETVARIANT#v}" && env "GOARM=${TARGETVARIANT#v}" go build -o /out/a .',
        'RUN go env -w GOARM=${BUILDVARIANT#v} && go build -o /out/tool ./cmd/tool',
      ),
    },
    {
      name: 'ENV under Dockerfile syntax 1.7: the same fix',
      code: lines('# syntax=docker/dockerfile:1.7', from, declare, 'ENV GOARM=$TARGETVARIANT'),
      findings: [{ messageId: 'variantAsGoarm', line: 4, column: 11 }],
      output: lines(
        '# syntax=docker/dockerfile:1.7',
        from,
        declare,
        'ENV GOARM=${TARGETVARIANT#v}',
      ),
    },
    {
      name: 'ENV without a syntax line: the fix adds one',
      code: lines(from, declare, 'ENV GOOS=$TARGETOS GOARM=${TARGETVARIANT}'),
      findings: [{ messageId: 'variantAsGoarm', line: 3, column: 26 }],
      output: lines(
        '# syntax=docker/dockerfile:1',
        from,
        declare,
        'ENV GOOS=$TARGETOS GOARM=${TARGETVARIANT#v}',
      ),
    },
    {
      name: 'ARG under an older syntax: no fix, the need for 1.7 said',
      code: lines('# syntax=docker/dockerfile:1.4', from, declare, 'ARG GOARM=${TARGETVARIANT}'),
      findings: [
        {
          messageId: 'variantAsGoarm',
          line: 4,
          column: 11,
          message: /needs Dockerfile syntax 1\.7 or later\)\.$/,
        },
      ],
      output: null,
    },
    {
      name: 'a fallback: reported without a fix',
      code: lines(from, declare, 'RUN GOARM=${TARGETVARIANT:-7} go build -o /out/app .'),
      findings: [{ messageId: 'variantAsGoarm', line: 3, column: 11 }],
      output: null,
    },
    {
      name: 'a default with a v: GOARM gets it on every platform',
      code: lines(from, 'ARG TARGETVARIANT=v7', 'RUN GOARM=$TARGETVARIANT go build -o /out/app .'),
      findings: [
        {
          messageId: 'variantAsGoarm',
          line: 3,
          column: 11,
          message: /passes "v7" \(its ARG default\)/,
        },
      ],
      output: lines(
        from,
        'ARG TARGETVARIANT=v7',
        'RUN GOARM=${TARGETVARIANT#v} go build -o /out/app .',
      ),
    },
    {
      name: "a default with a v in the parent stage reaches the child's GOARM",
      code: lines(
        from.replace(' AS build', ' AS base'),
        'ARG TARGETVARIANT=v7',
        'FROM base AS build',
        'RUN GOARM=$TARGETVARIANT go build -o /out/app .',
      ),
      findings: [
        {
          messageId: 'variantAsGoarm',
          line: 4,
          column: 11,
          message: /passes "v7" \(its ARG default\)/,
        },
      ],
      output: lines(
        from.replace(' AS build', ' AS base'),
        'ARG TARGETVARIANT=v7',
        'FROM base AS build',
        'RUN GOARM=${TARGETVARIANT#v} go build -o /out/app .',
      ),
    },
    {
      name: 'lowercase instructions and CRLF',
      code: [
        'from --platform=$BUILDPLATFORM golang:1.24 as build',
        'arg TARGETVARIANT',
        'run GOARM=$TARGETVARIANT go build -o /out/app .',
        '',
      ].join('\r\n'),
      findings: [{ messageId: 'variantAsGoarm', line: 3, column: 11 }],
      output: [
        'from --platform=$BUILDPLATFORM golang:1.24 as build',
        'arg TARGETVARIANT',
        'run GOARM=${TARGETVARIANT#v} go build -o /out/app .',
        '',
      ].join('\r\n'),
    },
  ],
});

test("goarm-from-targetvariant: fix-all may strip the v of BuildKit's value, not of a pinned one or with a new syntax line", () => {
  const safety = (code: string) => runRule(goarmFromTargetvariant, code)[0].fixes[0].safe;
  assert.equal(safety(lines(from, declare, 'RUN GOARM=$TARGETVARIANT go build -o /a .')), true);
  assert.equal(
    safety(lines('# syntax=docker/dockerfile:1', from, declare, 'ENV GOARM=$TARGETVARIANT')),
    true,
  );
  assert.equal(safety(lines(from, declare, 'ENV GOARM=$TARGETVARIANT')), false);
  assert.equal(
    safety(lines(from, 'ARG TARGETVARIANT=v7', 'RUN GOARM=$TARGETVARIANT go build -o /a .')),
    false,
  );
});
