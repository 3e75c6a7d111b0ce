import { crossCompileUnderEmulation } from '../../../server/src/core/rules/cross-compile-under-emulation';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProjectBuild } from '../../../server/src/core/types';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

const ship = ['FROM gcr.io/distroless/static-debian13', 'COPY --from=build /out/app /app'];
const cross = 'RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .';

ruleTester(crossCompileUnderEmulation, {
  valid: [
    {
      name: 'already on the build platform',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS build',
        'ARG TARGETOS TARGETARCH',
        cross,
        ...ship,
      ),
    },
    {
      name: 'the final stage cross-compiles: on the build platform the image would be for it',
      code: lines(
        'FROM golang:1.24-alpine',
        'ARG TARGETOS TARGETARCH',
        cross,
        'ENTRYPOINT ["/out/app"]',
      ),
    },
    {
      name: 'a build stage the final stage is built on',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'ARG TARGETOS TARGETARCH',
        cross,
        'FROM build',
        'ENTRYPOINT ["/out/app"]',
      ),
    },
    {
      name: 'a constant platform is a deliberate pin',
      code: lines(
        'FROM --platform=linux/amd64 golang:1.24-alpine AS build',
        'ARG TARGETOS TARGETARCH',
        cross,
        ...ship,
      ),
    },
    {
      name: 'a native build (no GOARCH) is what emulation is for',
      code: lines('FROM golang:1.24-alpine AS build', 'RUN go build -o /out/app .', ...ship),
    },
    {
      name: 'cgo on: emulation provides the C compiler for the target',
      code: lines(
        'FROM golang:1.24 AS build',
        'ARG TARGETARCH',
        'RUN CGO_ENABLED=1 GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'the stage runs go test, which needs the target platform',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'ARG TARGETARCH',
        'ENV GOARCH=$TARGETARCH',
        'RUN go test ./... && go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'another build in the stage relies on the native GOARCH',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'ARG TARGETARCH',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
        'RUN go build -o /out/helper ./cmd/helper',
        ...ship,
        'COPY --from=build /out/helper /helper',
      ),
    },
    {
      name: 'not on a Go toolchain image',
      code: lines(
        'FROM alpine:3.20 AS build',
        'RUN apk add go',
        'ARG TARGETARCH',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'only GOOS from the target: GOARCH is right only under emulation',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'ARG TARGETOS',
        'RUN GOOS=$TARGETOS go build -o /out/app .',
        ...ship,
      ),
    },
  ],
  invalid: [
    {
      name: 'go install: reported without a fix (cross-compiled installs move or fail)',
      code: lines(
        'FROM golang:1.24 AS build',
        'ARG TARGETOS TARGETARCH',
        'ENV GOOS=$TARGETOS GOARCH=$TARGETARCH CGO_ENABLED=0 GOBIN=/usr/local/bin',
        'COPY . .',
        'RUN go install ./cmd/app',
        'FROM alpine:3.22',
        'COPY --from=build /usr/local/bin/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'underEmulation',
          line: 1,
          message:
            /On the build machine the `go install` of line 5 would fail \(Go refuses to install cross-compiled binaries when GOBIN is set\): build with `go build -o` before moving the stage\./,
        },
      ],
      output: null,
    },
    {
      name: "the image copies the toolchain's go out of the stage: reported without a fix",
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'ARG TARGETARCH',
        'ENV GOARCH=${TARGETARCH} CGO_ENABLED=0',
        'COPY . .',
        'RUN go build -o /bin/proxy ./cmd/proxy',
        'FROM alpine:3.22',
        'COPY --from=build /bin/proxy /bin/proxy',
        'COPY --from=build /usr/local/go/bin/go /usr/local/go/bin/go',
        'ENTRYPOINT ["/bin/proxy"]',
      ),
      findings: [
        {
          messageId: 'underEmulation',
          line: 1,
          message:
            /Line 8 copies \/usr\/local\/go\/bin\/go out of it, which on the build machine would be built for the build machine's platform: no FROM edit alone\./,
        },
      ],
      output: null,
    },
    {
      name: 'no --platform: add $BUILDPLATFORM',
      code: lines('FROM golang:1.24-alpine AS build', 'ARG TARGETOS TARGETARCH', cross, ...ship),
      findings: [
        {
          messageId: 'underEmulation',
          line: 1,
          column: 6,
          severity: 'hint',
          message:
            /Stage "build" cross-compiles under emulation.* It cross-compiles with GOARCH from \$TARGETARCH \(line 3\), but its FROM has no --platform.*QEMU emulation/,
        },
      ],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS build',
        'ARG TARGETOS TARGETARCH',
        cross,
        ...ship,
      ),
    },
    // The target platform, by its name or spelt from its parts: replaced.
    ...['$TARGETPLATFORM', '${TARGETOS}/${TARGETARCH}'].map((platform) => ({
      name: `--platform=${platform} is replaced`,
      code: lines(
        `FROM --platform=${platform} golang:1.24-alpine AS build`,
        'ARG TARGETOS TARGETARCH',
        cross,
        ...ship,
      ),
      findings: [
        {
          messageId: 'underEmulation' as const,
          line: 1,
          column: 17,
          message: new RegExp(`its FROM says --platform=${platform.replace(/[$/{}]/g, '\\$&')}`),
        },
      ],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS build',
        'ARG TARGETOS TARGETARCH',
        cross,
        ...ship,
      ),
    })),
    {
      name: 'GOARCH from an ENV fed by ARG, in a heredoc build',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'ARG TARGETARCH',
        'ENV CGO_ENABLED=0 GOARCH=${TARGETARCH}',
        'RUN <<EOF',
        'go build -o /out/app .',
        'EOF',
        ...ship,
      ),
      findings: [{ messageId: 'underEmulation', line: 1, column: 6 }],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS build',
        'ARG TARGETARCH',
        'ENV CGO_ENABLED=0 GOARCH=${TARGETARCH}',
        'RUN <<EOF',
        'go build -o /out/app .',
        'EOF',
        ...ship,
      ),
    },
    {
      name: 'the build in a child stage: the fix goes to the FROM that picks the platform',
      code: lines(
        'FROM golang:1.24-alpine AS base',
        'WORKDIR /src',
        'FROM base AS build',
        'ARG TARGETOS TARGETARCH',
        cross,
        ...ship,
      ),
      findings: [
        {
          messageId: 'underEmulation',
          line: 1,
          column: 6,
          data: { stage: 'Stage "build"' },
        },
      ],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS base',
        'WORKDIR /src',
        'FROM base AS build',
        'ARG TARGETOS TARGETARCH',
        cross,
        ...ship,
      ),
    },
    {
      name: 'xx-go under emulation',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'COPY --from=tonistiigi/xx / /',
        'ARG TARGETPLATFORM',
        'RUN xx-go build -o /out/app .',
        ...ship,
      ),
      findings: [
        { messageId: 'underEmulation', line: 1, column: 6, message: /cross-compiles with xx-go/ },
      ],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS build',
        'COPY --from=tonistiigi/xx / /',
        'ARG TARGETPLATFORM',
        'RUN xx-go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'lowercase, with cgo on by default in the Debian image',
      code: lines(
        'from golang:1.24 as build',
        'arg TARGETARCH',
        'run GOARCH=$TARGETARCH go build -o /out/app .',
        'from debian:bookworm-slim',
        'copy --from=build /out/app /app',
      ),
      findings: [
        {
          messageId: 'underEmulation',
          line: 1,
          column: 6,
          message: /cgo is on by default in this image/,
        },
      ],
      output: lines(
        'from --platform=$BUILDPLATFORM golang:1.24 as build',
        'arg TARGETARCH',
        'run GOARCH=$TARGETARCH go build -o /out/app .',
        'from debian:bookworm-slim',
        'copy --from=build /out/app /app',
      ),
    },
  ],
});

describe('the builds the project declares', () => {
  const dockerfile = lines(
    'FROM golang:1.26 AS build',
    'ARG TARGETARCH',
    'RUN CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /out/app .',
    'FROM gcr.io/distroless/static-debian13',
    'COPY --from=build /out/app /app',
  );
  const build = (platforms?: readonly string[] | null): ProjectBuild => ({
    source: {
      kind: 'github-actions',
      file: '.github/workflows/ci.yml',
      line: 9,
      label: 'job image',
    },
    output: 'image',
    ...(platforms !== undefined ? { platforms } : {}),
  });

  test('all for the builder’s own platform: nothing runs under emulation, no hint', () => {
    assert.deepEqual(runRule(crossCompileUnderEmulation, dockerfile, { builds: [build()] }), []);
  });

  test('one for other platforms, or for platforms a variable gives: the hint', () => {
    const several = [build(), build(['linux/amd64', 'linux/arm64'])];
    assert.equal(runRule(crossCompileUnderEmulation, dockerfile, { builds: several }).length, 1);
    const unknown = [build(null)];
    assert.equal(runRule(crossCompileUnderEmulation, dockerfile, { builds: unknown }).length, 1);
    assert.equal(runRule(crossCompileUnderEmulation, dockerfile).length, 1);
  });
});
