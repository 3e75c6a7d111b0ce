import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unreachableStage } from '../../../server/src/core/rules/unreachable-stage';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

const build = ['WORKDIR /src', 'COPY . .', 'RUN CGO_ENABLED=0 go build -o /out/app .'];

ruleTester(unreachableStage, {
  valid: [
    {
      name: 'every stage is used: FROM, COPY --from by name and by index, RUN --mount=from',
      code: lines(
        'FROM --platform=$BUILDPLATFORM tonistiigi/xx:1.6.1 AS xx',
        'FROM alpine:3.20',
        'RUN apk add --no-cache ca-certificates',
        'FROM golang:1.24 AS base',
        'FROM base AS build',
        'RUN --mount=from=xx,source=/usr/bin/xx-go,target=/usr/bin/xx-go true',
        ...build,
        'FROM scratch',
        'COPY --from=1 /etc/ssl/certs /etc/ssl/certs',
        'COPY --from=build /out/app /app',
      ),
    },
    {
      name: 'stage names compare case-insensitively',
      code: lines(
        'FROM golang:1.24 AS Build',
        ...build,
        'FROM golang:1.24 AS Tools',
        'RUN go install example.com/tool@v1.0.0',
        'FROM scratch',
        'COPY --from=BUILD /out/app /app',
        'RUN --mount=type=bind,from=tools,source=/go/bin,target=/t ["/t/tool"]',
      ),
    },
    {
      name: 'an unresolvable --from may name any stage',
      code: lines(
        'FROM golang:1.24 AS build',
        ...build,
        'FROM golang:1.24 AS build-debug',
        'RUN go build -gcflags=all=-N -o /out/app .',
        'FROM scratch',
        'ARG FROM_STAGE',
        'COPY --from=${FROM_STAGE} /out/app /app',
      ),
    },
    {
      name: 'a FROM with a variable may name every stage, even when its ARG default resolves',
      code: lines(
        'ARG BASE_IMAGE=alpine',
        'FROM golang:1.24 AS build',
        ...build,
        'FROM alpine:3.20 AS alpine',
        'FROM gcr.io/distroless/static-debian13:nonroot AS distroless',
        'FROM $BASE_IMAGE',
        'COPY --from=build /out/app /app',
      ),
    },
    {
      name: 'a --from resolved through a stage ARG default',
      code: lines(
        'FROM golang:1.24 AS build',
        ...build,
        'FROM scratch',
        'ARG SRC=build',
        'COPY --from=$SRC /out/app /app',
      ),
    },
    {
      name: 'a single stage',
      code: lines('FROM golang:1.24', ...build),
    },
  ],
  invalid: [
    {
      name: 'a leftover build stage',
      code: lines(
        'FROM golang:1.24 AS build',
        ...build,
        'FROM golang:1.24 AS build-old',
        'RUN go build -o /out/old ./cmd/old',
        'FROM scratch',
        'COPY --from=build /out/app /app',
      ),
      findings: [
        {
          messageId: 'targetOnly',
          line: 5,
          column: 21,
          severity: 'hint',
          message:
            /^It is not the final stage, no later stage uses it .*none of the builds found in the project .*BuildKit skips it unless it is built with `docker build --target build-old`\. Keep it if it is a target on purpose .*remove it if it is a leftover\.$/,
        },
      ],
      output: null,
    },
    {
      name: 'an unnamed stage cannot even be a target',
      code: lines(
        'from golang:1.24',
        ...build,
        'from golang:1.24 as build',
        ...build,
        'from scratch',
        'copy --from=build /out/app /app',
      ),
      findings: [
        {
          messageId: 'unused',
          line: 1,
          column: 1,
          message: /^Stage 0 is .*`--target` \(which needs a stage name\)/,
        },
      ],
    },
    {
      name: 'a stage used only by a later unused stage: the later one is reported',
      code: lines(
        'FROM golang:1.24 AS build',
        ...build,
        'FROM build AS test',
        'RUN go test ./...',
        'FROM golang:1.24 AS lint-base',
        'FROM lint-base AS lint',
        'RUN go vet ./...',
        'FROM scratch',
        'COPY --from=build /out/app /app',
      ),
      findings: [
        { messageId: 'targetOnly', line: 5, data: { stage: 'Stage "test"' } },
        { messageId: 'targetOnly', line: 8, data: { stage: 'Stage "lint"' } },
      ],
    },
    {
      name: 'a variable reference only covers the stages its literal parts fit',
      code: lines(
        'FROM golang:1.24 AS amd64-archive',
        ...build,
        'FROM golang:1.24 AS arm64-archive',
        ...build,
        'FROM golang:1.24 AS debug',
        'RUN go build -o /out/debug .',
        'FROM ${TARGETARCH}-archive AS archive',
        'FROM scratch',
        'COPY --from=archive /out/app /app',
      ),
      findings: [{ messageId: 'targetOnly', line: 9, data: { stage: 'Stage "debug"' } }],
    },
    {
      name: 'a reference from an earlier stage is no use',
      code: lines(
        'FROM golang:1.24 AS build',
        'COPY --from=assets /dist /src/dist',
        ...build,
        'FROM node:22 AS assets',
        'RUN npm run build',
        'FROM scratch',
        'COPY --from=build /out/app /app',
      ),
      findings: [{ messageId: 'targetOnly', line: 6, data: { stage: 'Stage "assets"' } }],
    },
  ],
});

test('unreachable-stage: only a stage without a name, which nothing can build, is faded', () => {
  const found = runRule(
    unreachableStage,
    lines(
      'FROM golang:1.24',
      ...build,
      'FROM golang:1.24 AS test',
      'RUN go test ./...',
      'FROM golang:1.24 AS build',
      ...build,
      'FROM scratch',
      'COPY --from=build /out/app /app',
    ),
  );
  assert.deepEqual(
    found.map((d) => [d.range.start.line + 1, d.tags ?? []]),
    [
      [1, ['unnecessary']],
      [5, []],
    ],
  );
});

test('unreachable-stage: a build that may be of this file keeps the stages it may build', () => {
  const code = lines(
    'FROM golang:1.24 AS build',
    ...build,
    'FROM build AS test',
    'RUN go test ./...',
    'FROM golang:1.24 AS dev',
    'RUN go build -o /app .',
    'FROM scratch',
    'COPY --from=build /out/app /app',
  );
  const possible = (target: string | null) => ({
    possibleBuilds: [
      {
        source: { kind: 'script', file: 'build.sh', line: 0, label: 'docker build' },
        target,
        output: 'image' as const,
      },
    ],
  });
  const stages = (options = {}) =>
    runRule(unreachableStage, code, options).map((d) => d.range.start.line + 1);
  assert.deepEqual(stages(), [5, 7]);
  assert.deepEqual(stages(possible('dev')), [5]);
  assert.deepEqual(stages(possible('DEV')), [5]);
  assert.deepEqual(stages(possible('missing')), [5, 7]);
  assert.deepEqual(stages(possible(null)), []);
});
