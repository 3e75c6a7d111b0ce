import { buildplatformWithoutGoarch } from '../../../server/src/core/rules/buildplatform-without-goarch';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

const ship = ['FROM gcr.io/distroless/static-debian13', 'COPY --from=build /out/app /app'];
const onBuild = 'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS build';

ruleTester(buildplatformWithoutGoarch, {
  valid: [
    {
      name: 'GOARCH read from a file the RUN sources before the build (`set -a && . /env`)',
      code: lines(
        onBuild,
        'ARG TARGETARCH',
        'RUN echo GOARCH=$TARGETARCH >> /env',
        'RUN set -a && source /env && set +a && go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'GOARCH from text the RUN evaluates before the build',
      code: lines(onBuild, 'RUN eval "$(cat /env)" && go build -o /out/app .', ...ship),
    },
    {
      name: 'a tool carried through a scratch stage into a build-platform stage that runs it',
      code: lines(
        onBuild,
        'RUN go build -o /out/linter ./cmd/linter',
        'FROM scratch AS linter-bin',
        'COPY --from=build /out/linter /linter',
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS lint',
        'COPY --from=linter-bin /linter /usr/bin/linter',
        'RUN linter run ./...',
      ),
    },
    {
      name: 'a carrier picked by a build argument (FROM bin-${FROM_SOURCE}), then copied on',
      code: lines(
        'ARG FROM_SOURCE=true',
        onBuild,
        'RUN go build -o /out/linter ./cmd/linter',
        'FROM scratch AS bin-false',
        'FROM scratch AS bin-true',
        'COPY --from=build /out/linter linter',
        'FROM bin-${FROM_SOURCE} AS bin',
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS lint',
        'COPY --from=bin / /usr/bin/',
        'RUN linter run ./...',
      ),
    },
    {
      name: 'a tool mounted into a build-platform stage (RUN --mount=from=...,source=file)',
      code: lines(
        onBuild,
        'RUN go build -o /out/linter ./cmd/linter',
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS lint',
        'RUN --mount=from=build,source=/out/linter,target=/usr/bin/linter linter run ./...',
      ),
    },
    {
      name: 'tools built into a folder under names the analysis cannot tell, mounted by folder',
      code: lines(
        onBuild,
        'RUN for a in one two; do go build -o /out/$a ./cmd/$a; done',
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS vet',
        'RUN --mount=target=/tools,from=build,source=/out go vet -vettool=/tools/one ./...',
      ),
    },
    {
      name: 'a tool mounted from a carrier stage',
      code: lines(
        onBuild,
        'RUN go build -o /out/linter ./cmd/linter',
        'FROM scratch AS linter-bin',
        'COPY --from=build /out/linter /linter',
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS lint',
        'RUN --mount=from=linter-bin,source=/linter,target=/usr/bin/linter linter run ./...',
      ),
    },
    {
      name: 'GOOS and GOARCH inline from the target ARGs',
      code: lines(
        onBuild,
        'ARG TARGETOS TARGETARCH',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'ENV fed by ARG',
      code: lines(
        onBuild,
        'ARG TARGETOS TARGETARCH',
        'ENV GOOS=$TARGETOS GOARCH=${TARGETARCH}',
        'RUN go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'ENV in the parent stage',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS base',
        'ARG TARGETARCH',
        'ENV GOARCH=$TARGETARCH',
        'FROM base AS build',
        'RUN go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'an ARG GOARCH of the parent stage, which BuildKit passes on',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS base',
        'ARG TARGETOS TARGETARCH',
        'ARG GOOS=$TARGETOS GOARCH=$TARGETARCH',
        'FROM base AS build',
        'RUN go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'export earlier in the same RUN, through another variable',
      code: lines(
        onBuild,
        'ARG TARGETARCH',
        'RUN export ARCH="$TARGETARCH" && export GOARCH=$ARCH && go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'go env -w in an earlier RUN',
      code: lines(
        onBuild,
        'ARG TARGETARCH',
        'RUN go env -w GOARCH=$TARGETARCH',
        'RUN go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'env wrapper',
      code: lines(
        onBuild,
        'ARG TARGETARCH',
        'RUN env CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'xx-go targets $TARGETPLATFORM itself',
      code: lines(
        'FROM --platform=$BUILDPLATFORM tonistiigi/xx AS xx',
        onBuild,
        'COPY --from=xx / /',
        'ARG TARGETPLATFORM',
        'RUN xx-go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'go after xx-go --wrap',
      code: lines(
        onBuild,
        'COPY --from=tonistiigi/xx / /',
        'ARG TARGETPLATFORM',
        'RUN xx-go --wrap && go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'no --platform: the stage runs on the target platform',
      code: lines('FROM golang:1.24-alpine AS build', 'RUN go build -o /out/app .', ...ship),
    },
    {
      name: '--platform=$TARGETPLATFORM and a constant platform',
      code: lines(
        'FROM --platform=$TARGETPLATFORM golang:1.24-alpine AS build',
        'RUN go build -o /out/app .',
        'FROM --platform=linux/amd64 golang:1.24-alpine AS other',
        'RUN go build -o /out/other .',
        ...ship,
      ),
    },
    {
      name: 'a tool installed for the build itself',
      code: lines(
        onBuild,
        'RUN go install github.com/swaggo/swag/cmd/swag@v1.16.4',
        'ARG TARGETARCH',
        'RUN swag init && GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'a generator run later in the stage',
      code: lines(
        onBuild,
        'RUN go build -o /usr/local/bin/gen ./tools/gen && gen ./api',
        'ARG TARGETARCH',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'a generator copied into another stage on the build platform',
      code: lines(
        'FROM --platform=${BUILDPLATFORM} golang:1.24-alpine AS docsgen',
        'RUN go build -o /out/docsgen ./docs/generate.go',
        'FROM --platform=${BUILDPLATFORM} alpine AS docs',
        'COPY --from=docsgen /out/docsgen /usr/bin',
        'RUN docsgen --source docs',
      ),
    },
    {
      name: 'a literal GOARCH is hardcoded-goarch',
      code: lines(onBuild, 'RUN GOOS=linux GOARCH=amd64 go build -o /out/app .', ...ship),
    },
    {
      name: 'GOARCH from a build argument of its own',
      code: lines(onBuild, 'ARG GOARCH', 'RUN go build -o /out/app .', ...ship),
    },
    {
      name: 'GOARCH worked out from $TARGETPLATFORM in the RUN',
      code: lines(
        onBuild,
        'ARG TARGETPLATFORM',
        'RUN case ${TARGETPLATFORM} in \\',
        '      "linux/arm64") GOARCH=arm64 ;; \\',
        '      *) GOARCH=amd64 ;; \\',
        '    esac && \\',
        '    GOARCH=${GOARCH} go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'go build ./... only compiles',
      code: lines(onBuild, 'RUN go build ./...', ...ship),
    },
  ],
  invalid: [
    {
      name: 'a file sourced after the build, or in another RUN, sets nothing for it',
      code: lines(onBuild, 'RUN . /env', 'RUN go build -o /out/app . && . /env', ...ship),
      findings: [{ messageId: 'noGoarch', line: 3, column: 5 }],
    },
    {
      name: 'the build machine spelt from its parts ($BUILDOS/$BUILDARCH)',
      code: lines(
        'FROM --platform=$BUILDOS/$BUILDARCH golang:1.24-alpine AS build',
        'RUN go build -o /out/app .',
        'FROM alpine',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'noGoarch', line: 2, column: 5 }],
    },
    {
      name: 'carried through a scratch stage into the shipped image built on it',
      code: lines(
        onBuild,
        'RUN go build -o /out/app .',
        'FROM scratch AS bin',
        'COPY --from=build /out/app /app',
        'FROM bin',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'noGoarch', line: 2, column: 5 }],
    },
    {
      name: 'carried through a scratch stage into a target-platform image',
      code: lines(
        onBuild,
        'RUN go build -o /out/app .',
        'FROM scratch AS bin',
        'COPY --from=build /out/app /app',
        'FROM --platform=$BUILDPLATFORM alpine AS gen',
        'COPY --from=bin /app /usr/bin/app',
        'RUN app generate',
        'FROM alpine',
        'COPY --from=bin /app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'noGoarch', line: 2, column: 5 }],
    },
    {
      name: 'mounted into a target-platform stage, where it runs under that platform',
      code: lines(
        onBuild,
        'RUN go build -o /out/linter ./cmd/linter',
        'FROM alpine AS check',
        'RUN --mount=from=build,source=/out,target=/tools /tools/linter run',
      ),
      findings: [{ messageId: 'noGoarch', line: 2, column: 5 }],
    },
    {
      name: 'no GOARCH on ${BUILDPLATFORM}: ARG and assignments in one fix',
      code: lines(
        'FROM --platform=${BUILDPLATFORM} golang:1.24-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        ...ship,
      ),
      findings: [
        {
          messageId: 'noGoarch',
          line: 4,
          column: 19,
          message:
            /sets no GOARCH\. It runs in stage "build" on the build machine's platform \(--platform=\$\{BUILDPLATFORM\} on line 1\)/,
        },
      ],
      output: lines(
        'FROM --platform=${BUILDPLATFORM} golang:1.24-alpine AS build',
        'ARG TARGETOS TARGETARCH',
        'WORKDIR /src',
        'COPY . .',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH CGO_ENABLED=0 go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'the platform inherited from the parent stage; the ARGs already declared',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS base',
        'FROM base AS build',
        'ARG TARGETOS TARGETARCH',
        'RUN go install ./cmd/app',
        'FROM scratch',
        'COPY --from=build /go/bin/app /app',
      ),
      findings: [
        { messageId: 'noGoarch', line: 4, column: 5, message: /inherited from stage "base"/ },
      ],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS base',
        'FROM base AS build',
        'ARG TARGETOS TARGETARCH',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go install ./cmd/app',
        'FROM scratch',
        'COPY --from=build /go/bin/app /app',
      ),
    },
    {
      name: 'the ARGs declared in the parent stage: the fix declares none again',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS base',
        'ARG TARGETOS TARGETARCH',
        'FROM base AS build',
        'RUN go install ./cmd/app',
        'FROM scratch',
        'COPY --from=build /go/bin/app /app',
      ),
      findings: [{ messageId: 'noGoarch', line: 4, column: 5 }],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS base',
        'ARG TARGETOS TARGETARCH',
        'FROM base AS build',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go install ./cmd/app',
        'FROM scratch',
        'COPY --from=build /go/bin/app /app',
      ),
    },
    {
      name: 'GOOS set but no GOARCH: only GOARCH is added',
      code: lines(onBuild, 'ARG TARGETOS', 'RUN GOOS=$TARGETOS go build -o /out/app .', ...ship),
      findings: [{ messageId: 'noGoarch', line: 3, column: 20 }],
      output: lines(
        onBuild,
        'ARG TARGETARCH',
        'ARG TARGETOS',
        'RUN GOARCH=$TARGETARCH GOOS=$TARGETOS go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'exec-form RUN: an ENV line before it',
      code: lines(onBuild, 'RUN ["go", "build", "-o", "/out/app", "."]', ...ship),
      findings: [{ messageId: 'noGoarch', line: 2, column: 7 }],
      output: lines(
        onBuild,
        'ARG TARGETOS TARGETARCH',
        'ENV GOOS=$TARGETOS GOARCH=$TARGETARCH',
        'RUN ["go", "build", "-o", "/out/app", "."]',
        ...ship,
      ),
    },
    {
      name: 'a heredoc',
      code: lines(onBuild, 'RUN <<EOF', 'set -e', 'go build -o /out/app .', 'EOF', ...ship),
      findings: [{ messageId: 'noGoarch', line: 4, column: 1 }],
      output: lines(
        onBuild,
        'ARG TARGETOS TARGETARCH',
        'RUN <<EOF',
        'set -e',
        'GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
        'EOF',
        ...ship,
      ),
    },
    {
      name: 'a continuation line',
      code: lines(
        onBuild,
        'RUN --mount=type=cache,target=/go/pkg/mod \\',
        '    go mod download && \\',
        '    go build -o /out/app .',
        ...ship,
      ),
      findings: [{ messageId: 'noGoarch', line: 4, column: 5 }],
      output: lines(
        onBuild,
        'ARG TARGETOS TARGETARCH',
        'RUN --mount=type=cache,target=/go/pkg/mod \\',
        '    go mod download && \\',
        '    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'lowercase, CRLF, exec form: arg and env lines in one insertion',
      code: [
        'from --platform=$BUILDPLATFORM golang:1.24-alpine as build',
        'run ["go", "build", "-o", "/out/app", "."]',
        'from scratch',
        'copy --from=build /out/app /app',
        '',
      ].join('\r\n'),
      findings: [{ messageId: 'noGoarch', line: 2, column: 7 }],
      output: [
        'from --platform=$BUILDPLATFORM golang:1.24-alpine as build',
        'arg TARGETOS TARGETARCH',
        'env GOOS=$TARGETOS GOARCH=$TARGETARCH',
        'run ["go", "build", "-o", "/out/app", "."]',
        'from scratch',
        'copy --from=build /out/app /app',
        '',
      ].join('\r\n'),
    },
    {
      name: '${BUILDPLATFORM:-linux/amd64} is the build platform too',
      code: lines(
        'FROM --platform=${BUILDPLATFORM:-linux/amd64} golang:1.24 AS build',
        'ARG TARGETOS TARGETARCH',
        'RUN cd cmd/app && go build -o /out/app',
        ...ship,
      ),
      findings: [{ messageId: 'noGoarch', line: 3, column: 19 }],
      output: lines(
        'FROM --platform=${BUILDPLATFORM:-linux/amd64} golang:1.24 AS build',
        'ARG TARGETOS TARGETARCH',
        'RUN cd cmd/app && GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app',
        ...ship,
      ),
    },
    {
      name: 'GOOS from the target but GOARCH unset is still the build machine',
      code: lines(
        onBuild,
        'ARG TARGETOS TARGETARCH',
        'ENV GOOS=$TARGETOS',
        'RUN go build -o /out/app .',
        ...ship,
      ),
      findings: [{ messageId: 'noGoarch', line: 4, column: 5 }],
      output: lines(
        onBuild,
        'ARG TARGETOS TARGETARCH',
        'ENV GOOS=$TARGETOS',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
  ],
});

const carried = lines(
  onBuild,
  'RUN go build -o /out/app .',
  'FROM scratch AS bin',
  'COPY --from=build /out/app /app',
  'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS lint',
  'COPY --from=bin /app /usr/bin/app',
  'RUN app lint',
  'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS other',
  'RUN true',
);

test("a stage that only carries files is the binary's image when a build ships it", () => {
  // Nothing declared: the last stage ships, bin only carries the binary to lint.
  assert.equal(runRule(buildplatformWithoutGoarch, carried).length, 0);
  const shipped = runRule(buildplatformWithoutGoarch, carried, {
    targets: { names: ['bin'], source: '--target' },
  });
  assert.deepEqual(
    shipped.map((d) => d.range.start.line + 1),
    [2],
  );
  const exported = runRule(buildplatformWithoutGoarch, carried, {
    builds: [
      {
        source: { kind: 'bake', file: 'docker-bake.hcl', line: 0, label: 'target bin' },
        target: 'bin',
        output: 'export',
      },
    ],
  });
  assert.equal(exported.length, 1);
});
