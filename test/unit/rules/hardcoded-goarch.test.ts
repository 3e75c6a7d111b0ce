import { hardcodedGoarch } from '../../../server/src/core/rules/hardcoded-goarch';
import { lines, ruleTester } from '../../support/rule-tester';

const ship = ['FROM gcr.io/distroless/static-debian13', 'COPY --from=build /out/app /app'];
const onBuild = 'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS build';

ruleTester(hardcodedGoarch, {
  valid: [
    {
      name: 'a single-platform Dockerfile may pin GOARCH',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'GOARCH from the target ARGs; GOOS=linux is right for every Linux platform',
      code: lines(
        onBuild,
        'ARG TARGETARCH',
        'RUN CGO_ENABLED=0 GOOS=linux GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'several literal values are a deliberate per-architecture matrix',
      code: lines(
        onBuild,
        'RUN GOARCH=amd64 go build -o /out/amd64/app . && GOARCH=arm64 go build -o /out/arm64/app .',
        'FROM scratch',
        'ARG TARGETARCH',
        'COPY --from=build /out/$TARGETARCH/app /app',
      ),
    },
    {
      name: 'the RUN maps the platform to GOARCH itself',
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
      name: 'a stage pinned to a constant platform',
      code: lines(
        'FROM --platform=linux/amd64 golang:1.24-alpine AS build',
        'RUN GOARCH=amd64 go build -o /out/app .',
        'FROM --platform=$BUILDPLATFORM alpine AS other',
        'ARG TARGETARCH',
        'RUN echo $TARGETARCH',
      ),
    },
    {
      name: 'not assignments: a linker flag and an echo',
      code: lines(
        onBuild,
        'ARG TARGETARCH',
        'RUN echo GOARCH=amd64 && GOARCH=$TARGETARCH go build -ldflags "-X main.GOARCH=amd64" -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'a stage that builds no Go',
      code: lines(
        'FROM alpine:3.20 AS tools',
        'ENV GOARCH=amd64',
        onBuild,
        'ARG TARGETARCH',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
    },
  ],
  invalid: [
    {
      name: 'inline GOOS=linux GOARCH=amd64 with the ARGs declared',
      code: lines(
        onBuild,
        'ARG TARGETOS TARGETARCH',
        'RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o /out/app .',
        ...ship,
      ),
      findings: [
        {
          messageId: 'fixedForSeveral',
          line: 3,
          column: 30,
          severity: 'info',
          message:
            /GOARCH is fixed to amd64 \(and GOOS to linux\) while this Dockerfile builds for several platforms/,
        },
      ],
      output: lines(
        onBuild,
        'ARG TARGETOS TARGETARCH',
        'RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'the ARGs are declared by the same fix',
      code: lines(onBuild, 'RUN GOARCH=amd64 go build -o /out/app .', ...ship),
      findings: [{ messageId: 'fixedForSeveral', line: 2, column: 5 }],
      output: lines(
        onBuild,
        'ARG TARGETARCH',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'the ARG declared in the parent stage is not declared again',
      code: lines(
        onBuild.replace(' AS build', ' AS base'),
        'ARG TARGETARCH',
        'FROM base AS build',
        'RUN GOARCH=amd64 go build -o /out/app .',
        ...ship,
      ),
      findings: [{ messageId: 'fixedForSeveral', line: 4, column: 5 }],
      output: lines(
        onBuild.replace(' AS build', ' AS base'),
        'ARG TARGETARCH',
        'FROM base AS build',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'ENV in a file that reads $TARGETARCH elsewhere',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'ENV CGO_ENABLED=0 GOOS=linux GOARCH="amd64"',
        'RUN go build -o /out/app .',
        'FROM alpine:3.20',
        'ARG TARGETARCH',
        'RUN wget https://example.com/tool-$TARGETARCH',
        'COPY --from=build /out/app /app',
      ),
      findings: [{ messageId: 'fixedForSeveral', line: 2, column: 30 }],
      output: lines(
        'FROM golang:1.24-alpine AS build',
        'ARG TARGETOS TARGETARCH',
        'ENV CGO_ENABLED=0 GOOS=$TARGETOS GOARCH="$TARGETARCH"',
        'RUN go build -o /out/app .',
        'FROM alpine:3.20',
        'ARG TARGETARCH',
        'RUN wget https://example.com/tool-$TARGETARCH',
        'COPY --from=build /out/app /app',
      ),
    },
    {
      name: 'single quotes are dropped so the variable expands',
      code: lines(onBuild, 'ARG TARGETARCH', "RUN GOARCH='amd64' go build -o /out/app .", ...ship),
      findings: [{ messageId: 'fixedForSeveral', line: 3, column: 5 }],
      output: lines(
        onBuild,
        'ARG TARGETARCH',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'env wrapper, export and go env -w',
      code: lines(
        onBuild,
        'ARG TARGETARCH',
        'RUN env GOARCH=amd64 go build -o /out/app .',
        'RUN export GOARCH=amd64 && go build -o /out/b .',
        'RUN go env -w GOARCH=amd64',
        ...ship,
      ),
      findings: [
        { messageId: 'fixedForSeveral', line: 3, column: 9 },
        { messageId: 'fixedForSeveral', line: 4, column: 12 },
        { messageId: 'fixedForSeveral', line: 5, column: 15 },
      ],
      output: lines(
        onBuild,
        'ARG TARGETARCH',
        'RUN env GOARCH=$TARGETARCH go build -o /out/app .',
        'RUN export GOARCH=$TARGETARCH && go build -o /out/b .',
        'RUN go env -w GOARCH=$TARGETARCH',
        ...ship,
      ),
    },
    {
      name: 'a heredoc on a continuation of its own',
      code: lines(
        onBuild,
        'ARG TARGETARCH',
        'RUN <<EOF',
        'set -e',
        'CGO_ENABLED=0 \\',
        '  GOARCH=amd64 go build -o /out/app .',
        'EOF',
        ...ship,
      ),
      findings: [{ messageId: 'fixedForSeveral', line: 6, column: 3 }],
      output: lines(
        onBuild,
        'ARG TARGETARCH',
        'RUN <<EOF',
        'set -e',
        'CGO_ENABLED=0 \\',
        '  GOARCH=$TARGETARCH go build -o /out/app .',
        'EOF',
        ...ship,
      ),
    },
    {
      name: 'exec-form RUN: reported without a fix',
      code: lines(
        onBuild,
        'ARG TARGETARCH',
        'RUN ["env", "GOARCH=amd64", "go", "build", "-o", "/out/app", "."]',
        ...ship,
      ),
      findings: [
        {
          messageId: 'fixedForSeveral',
          line: 3,
          column: 14,
          message: /Exec-form RUN does not expand variables/,
        },
      ],
      output: null,
    },
    {
      name: 'lowercase and CRLF: the inserted arg follows both',
      code: [
        'from --platform=$BUILDPLATFORM golang:1.24-alpine as build',
        'env GOARCH=arm64',
        'run go build -o /out/app .',
        '',
      ].join('\r\n'),
      findings: [{ messageId: 'fixedForSeveral', line: 2, column: 5 }],
      output: [
        'from --platform=$BUILDPLATFORM golang:1.24-alpine as build',
        'arg TARGETARCH',
        'env GOARCH=$TARGETARCH',
        'run go build -o /out/app .',
        '',
      ].join('\r\n'),
    },
  ],
});
