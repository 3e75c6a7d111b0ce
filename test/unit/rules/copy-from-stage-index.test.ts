import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyFromStageIndex } from '../../../server/src/core/rules/copy-from-stage-index';
import { applyEdits } from '../../../server/src/core/text/edits';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

const build = ['WORKDIR /src', 'COPY . .', 'RUN CGO_ENABLED=0 go build -o /out/app .'];

ruleTester(copyFromStageIndex, {
  valid: [
    {
      name: 'stages referred to by name',
      code: lines(
        'FROM golang:1.24 AS build',
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'RUN --mount=type=bind,from=build,source=/out,target=/mnt true',
      ),
    },
    {
      name: 'external images and variables',
      code: lines(
        'ARG SRC=0',
        'FROM golang:1.24 AS build',
        ...build,
        'FROM scratch',
        'COPY --from=alpine:3.20 /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
        'COPY --from=${SRC} /out/app /app',
      ),
    },
    {
      name: 'an index that is not an earlier stage (copy-from-unknown-stage reports it)',
      code: lines(
        'FROM golang:1.24 AS build',
        ...build,
        'FROM scratch',
        'COPY --from=4 /out/app /app',
      ),
    },
  ],
  invalid: [
    {
      name: 'an unnamed Go build stage is named build',
      code: lines('FROM golang:1.24', ...build, 'FROM scratch', 'COPY --from=0 /out/app /app'),
      findings: [
        {
          messageId: 'byIndex',
          line: 6,
          column: 13,
          message:
            /^--from=0 names stage 0 \(line 1\) by its position, not its name\. .*different stage.*Name it \(`AS build`\) and use the name\.$/,
        },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
      ),
    },
    {
      name: 'a named stage: its name, as written',
      code: lines(
        'FROM golang:1.24 AS Builder',
        ...build,
        'FROM scratch',
        'COPY --from=0 /out/app /app',
      ),
      findings: [{ messageId: 'byIndex', line: 6, message: /Use its name, "Builder"\.$/ }],
      output: lines(
        'FROM golang:1.24 AS Builder',
        ...build,
        'FROM scratch',
        'COPY --from=Builder /out/app /app',
      ),
    },
    {
      name: 'RUN --mount=from= with an index, lowercase instructions',
      code: lines(
        'from --platform=$BUILDPLATFORM golang:1.24',
        'workdir /src',
        'run --mount=type=bind,target=. go build -o /out/app .',
        'from alpine:3.20',
        'run --mount=type=bind,from=0,source=/out/app,target=/tmp/app cp /tmp/app /app',
      ),
      findings: [
        {
          messageId: 'byIndex',
          line: 5,
          column: 28,
          data: { reference: 'from=0', index: 0, line: 1 },
        },
      ],
      output: lines(
        'from --platform=$BUILDPLATFORM golang:1.24 as build',
        'workdir /src',
        'run --mount=type=bind,target=. go build -o /out/app .',
        'from alpine:3.20',
        'run --mount=type=bind,from=build,source=/out/app,target=/tmp/app cp /tmp/app /app',
      ),
    },
    {
      name: 'a name taken by another stage, compared case-insensitively',
      code: lines(
        'FROM golang:1.24',
        ...build,
        'FROM alpine:3.20 AS BUILD',
        'FROM scratch',
        'COPY --from=0 /out/app /app',
      ),
      findings: [{ messageId: 'byIndex', line: 7, message: /Name it \(`AS builder`\)/ }],
      output: lines(
        'FROM golang:1.24 AS builder',
        ...build,
        'FROM alpine:3.20 AS BUILD',
        'FROM scratch',
        'COPY --from=builder /out/app /app',
      ),
    },
    {
      name: 'a stage that is not a Go build is named after its image, avoiding image names in use',
      code: lines(
        'FROM alpine:3.20',
        'RUN apk add --no-cache ca-certificates',
        'FROM golang:1.24 AS build',
        ...build,
        'FROM scratch',
        'COPY --from=0 /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
        'COPY --from=alpine /etc/passwd /etc/passwd',
        'COPY --from=build /out/app /app',
      ),
      findings: [{ messageId: 'byIndex', line: 8, message: /Name it \(`AS alpine-stage`\)/ }],
      output: lines(
        'FROM alpine:3.20 AS alpine-stage',
        'RUN apk add --no-cache ca-certificates',
        'FROM golang:1.24 AS build',
        ...build,
        'FROM scratch',
        'COPY --from=alpine-stage /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
        'COPY --from=alpine /etc/passwd /etc/passwd',
        'COPY --from=build /out/app /app',
      ),
    },
    {
      name: 'two unnamed stages get distinct names',
      code: lines(
        'FROM golang:1.24',
        ...build,
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/tool ./cmd/tool',
        'FROM scratch',
        'COPY --from=0 /out/app /app',
        'COPY --from=1 /out/tool /tool',
      ),
      findings: [
        { messageId: 'byIndex', line: 10, message: /`AS build`/ },
        { messageId: 'byIndex', line: 11, message: /`AS builder`/ },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        ...build,
        'FROM golang:1.24 AS builder',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/tool ./cmd/tool',
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'COPY --from=builder /out/tool /tool',
      ),
    },
    {
      name: 'a FROM with a dangling AS: no automatic fix',
      code: lines('FROM golang:1.24 AS', ...build, 'FROM scratch', 'COPY --from=0 /out/app /app'),
      findings: [
        { messageId: 'byIndex', line: 6, message: /Name it with `AS <name>` and use the name\.$/ },
      ],
      output: null,
    },
    {
      name: 'a COPY continued over lines',
      code: lines(
        'FROM golang:1.24 AS build',
        ...build,
        'FROM scratch',
        'COPY \\',
        '  --from=0 \\',
        '  /out/app /app',
      ),
      findings: [{ messageId: 'byIndex', line: 7, column: 10 }],
      output: lines(
        'FROM golang:1.24 AS build',
        ...build,
        'FROM scratch',
        'COPY \\',
        '  --from=build \\',
        '  /out/app /app',
      ),
    },
  ],
});

test('copy-from-stage-index: one fix names the stage and rewrites every index reference', () => {
  const code = lines(
    'FROM golang:1.24',
    ...build,
    'FROM scratch',
    'COPY --from=0 /out/app /app',
    'COPY --from=0 /etc/passwd /etc/passwd',
  );
  const found = runRule(copyFromStageIndex, code);
  assert.equal(found.length, 2);
  assert.deepEqual(found[0].fixes, found[1].fixes);
  const fixed = applyEdits(code, found[0].fixes[0].edits);
  assert.equal(
    fixed,
    lines(
      'FROM golang:1.24 AS build',
      ...build,
      'FROM scratch',
      'COPY --from=build /out/app /app',
      'COPY --from=build /etc/passwd /etc/passwd',
    ),
  );
  assert.deepEqual(runRule(copyFromStageIndex, fixed), []);
});
