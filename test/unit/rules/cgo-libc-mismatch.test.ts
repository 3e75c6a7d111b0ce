import { cgoLibcMismatch } from '../../../server/src/core/rules/cgo-libc-mismatch';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

const copyApp = ['COPY --from=build /out/app /app', 'ENTRYPOINT ["/app"]'];

const SQLITE_GO_MOD =
  'module example.com/app\n\ngo 1.24\n\nrequire github.com/mattn/go-sqlite3 v1.14.24\n';
const sqliteSources = {
  'go.mod': SQLITE_GO_MOD,
  'main.go': 'package main\n\nimport _ "github.com/mattn/go-sqlite3"\n\nfunc main() {}\n',
};
const debianToScratch = lines(
  'FROM golang:1.24 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o /out/app .',
  'FROM scratch',
  ...copyApp,
);

const toAlpineWithCompat = (compat: string) =>
  lines(
    'FROM golang:1.24 AS build',
    'WORKDIR /src',
    'COPY . .',
    'RUN go build -o /out/app .',
    'FROM alpine:3.22',
    `RUN apk add --no-cache ${compat}`,
    ...copyApp,
  );

ruleTester(cgoLibcMismatch, {
  valid: [
    {
      name: 'glibc compatibility on Alpine runs what the Go runtime asks of the C library',
      code: toAlpineWithCompat('libc6-compat'),
    },
    {
      name: 'a build with a musl C compiler links musl, which the Alpine runtime has',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN CC=/usr/local/musl/bin/musl-gcc CGO_ENABLED=1 go build -buildmode=plugin -o /out/plugin.so .',
        'ENV CC=x86_64-linux-musl-gcc',
        'RUN CGO_ENABLED=1 go build -o /out/app .',
        'FROM alpine:3.22',
        'COPY --from=build /out/ /',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'gcompat too',
      code: toAlpineWithCompat('ca-certificates gcompat'),
    },
    {
      name: 'a build for another OS is a cross build: cgo is off unless CGO_ENABLED=1',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN GOOS=windows go build -o /out/app.exe .',
        'ENV GOOS=darwin',
        'RUN go build -o /out/app-macos .',
        'FROM scratch',
        'COPY --from=build /out/ /',
        'ENTRYPOINT ["/app.exe"]',
      ),
    },
    {
      name: 'a musl tool carried through scratch into a musl stage on the build platform',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS tool',
        'RUN apk add --no-cache gcc musl-dev',
        'RUN go build -o /out/linter ./cmd/linter',
        'FROM scratch AS linter-bin',
        'COPY --from=tool /out/linter /linter',
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS lint',
        'COPY --from=linter-bin /linter /usr/bin/linter',
        'RUN linter run ./...',
      ),
    },
    {
      name: 'CGO_ENABLED may come from a file the RUN sources before the build',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN . ./build.env && go build -o /out/app .',
        'FROM scratch',
        ...copyApp,
      ),
    },
    {
      name: 'CGO_ENABLED=0 inline',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM scratch',
        ...copyApp,
      ),
    },
    {
      name: 'ENV CGO_ENABLED=0',
      code: lines(
        'FROM golang:1.24 AS build',
        'ENV CGO_ENABLED=0',
        'RUN go build -o /out/app .',
        'FROM scratch',
        ...copyApp,
      ),
    },
    {
      name: 'ARG CGO_ENABLED=0',
      code: lines(
        'FROM golang:1.24 AS build',
        'ARG CGO_ENABLED=0',
        'RUN go build -o /out/app .',
        'FROM gcr.io/distroless/static',
        ...copyApp,
      ),
    },
    {
      name: 'export in the same RUN',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN export CGO_ENABLED=0 && go build -o /out/app .',
        'FROM scratch',
        ...copyApp,
      ),
    },
    {
      name: 'go env -w in an earlier RUN',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go env -w CGO_ENABLED=0',
        'RUN go build -o /out/app .',
        'FROM scratch',
        ...copyApp,
      ),
    },
    {
      name: 'env wrapper',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN env CGO_ENABLED=0 GOOS=linux go build -o /out/app .',
        'FROM scratch',
        ...copyApp,
      ),
    },
    {
      name: 'golang alpine builder: no C compiler, so cgo is off',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN go build -o /out/app .',
        'FROM scratch',
        ...copyApp,
      ),
    },
    {
      name: 'musl builder, musl runtime',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN apk add --no-cache gcc musl-dev',
        'RUN CGO_ENABLED=1 go build -o /out/app .',
        'FROM alpine:3.20',
        ...copyApp,
      ),
    },
    {
      name: 'glibc builder, distroless base (glibc)',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
        'FROM gcr.io/distroless/base-debian12',
        ...copyApp,
      ),
    },
    {
      name: 'glibc builder, debian runtime',
      code: lines(
        'FROM golang:1.24-bookworm AS build',
        'RUN go build -o /out/app .',
        'FROM debian:bookworm-slim',
        ...copyApp,
      ),
    },
    {
      name: 'static linking',
      code: lines(
        'FROM golang:1.24 AS build',
        `RUN go build -ldflags '-linkmode external -extldflags "-static"' -o /out/app .`,
        'FROM scratch',
        ...copyApp,
      ),
    },
    {
      name: 'static linking asked for in a variable the stage it is built on sets',
      code: lines(
        'FROM golang:1.24 AS base',
        `ENV GO_LDFLAGS="-linkmode external -extldflags '-static'"`,
        'FROM base AS build',
        'RUN go build -ldflags "$GO_LDFLAGS" -o /out/app .',
        'FROM scratch',
        ...copyApp,
      ),
    },
    {
      name: 'an unknown runtime base',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
        'FROM example.com/runtime',
        ...copyApp,
      ),
    },
    {
      name: 'ARG-selected builder tag keeps the variant',
      code: lines(
        'ARG GO=1.24',
        'FROM golang:${GO}-alpine AS build',
        'RUN go build -o /out/app .',
        'FROM scratch',
        ...copyApp,
      ),
    },
    {
      name: 'mounted from a static build, or from a builder with the same C library',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM golang:1.24 AS glibc',
        'RUN go build -o /out/tool ./tool',
        'FROM debian:bookworm-slim',
        'RUN --mount=from=glibc,source=/out,target=/mnt /mnt/tool generate',
        'FROM alpine:3.20',
        'RUN --mount=from=build,source=/out,target=/mnt cp /mnt/app /usr/local/bin/app',
      ),
    },
  ],
  invalid: [
    {
      name: 'glibc compatibility on Alpine with C code linked (go-sqlite3): info, and a glibc base',
      code: toAlpineWithCompat('libc6-compat'),
      files: sqliteSources,
      findings: [
        {
          messageId: 'glibcCompat',
          line: 4,
          severity: 'info',
          data: { runtimeImage: 'alpine:3.22', compat: 'libc6-compat' },
          message: /main\.go imports github\.com\/mattn\/go-sqlite3.*"symbol not found"/,
        },
      ],
      output: null,
    },
    {
      name: 'GOOS=linux on the Linux builder is no cross build: cgo stays on',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN GOOS=linux go build -o /out/app .',
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'otherLibc',
          line: 4,
          severity: 'error',
          data: { runtimeLibc: 'no C library' },
        },
      ],
      fix: 'Build with CGO_ENABLED=0 (a static binary)',
    },
    {
      name: 'carried through scratch into a shipped scratch image built on the carrier',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN apk add --no-cache gcc musl-dev',
        'RUN go build -o /out/app .',
        'FROM scratch AS bin',
        'COPY --from=build /out/app /app',
        'FROM bin',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'otherLibc',
          line: 3,
          severity: 'error',
          data: { runtimeLibc: 'no C library' },
        },
      ],
      // Only CGO_ENABLED=0: the image is built on the carrier, whose FROM must stay.
      fix: 'Build with CGO_ENABLED=0 (a static binary)',
    },
    {
      name: 'carried through scratch into a shipped scratch image that copies it again',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN apk add --no-cache gcc musl-dev',
        'RUN go build -o /out/app .',
        'FROM scratch AS bin',
        'COPY --from=build /out/app /app',
        'FROM scratch',
        'COPY --from=bin /app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'otherLibc', line: 3, severity: 'error', message: /line 7/ }],
    },
    {
      name: 'Debian golang to scratch: an error, fixed with CGO_ENABLED=0',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN go build -o /out/app .',
        'FROM scratch',
        ...copyApp,
      ),
      findings: [
        {
          messageId: 'otherLibc',
          line: 3,
          column: 5,
          severity: 'error',
          message:
            /links against glibc, but scratch has no C library.* \(golang:1\.24 ships gcc.*copied into scratch \(line 5\)/,
        },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM scratch',
        ...copyApp,
      ),
    },
    {
      name: 'Debian golang to distroless static, with a chain and a continuation',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go mod download && \\',
        '    GOOS=linux go build -o /out/app .',
        'FROM gcr.io/distroless/static-debian12:nonroot',
        ...copyApp,
      ),
      findings: [{ messageId: 'otherLibc', line: 3, severity: 'error' }],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN go mod download && \\',
        '    CGO_ENABLED=0 GOOS=linux go build -o /out/app .',
        'FROM gcr.io/distroless/static-debian12:nonroot',
        ...copyApp,
      ),
    },
    {
      name: 'Debian golang to alpine (musl): a warning',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
        'FROM alpine:3.20',
        ...copyApp,
      ),
      findings: [
        {
          messageId: 'otherLibc',
          line: 2,
          severity: 'warning',
          data: { builderLibc: 'glibc', runtimeImage: 'alpine:3.20', runtimeLibc: 'musl' },
        },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM alpine:3.20',
        ...copyApp,
      ),
    },
    {
      name: 'mounted from the Debian builder into a RUN of an alpine stage',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
        'FROM alpine:3.20',
        'RUN --mount=from=build,source=/out,target=/mnt cp /mnt/app /usr/local/bin/app',
        'ENTRYPOINT ["/usr/local/bin/app"]',
      ),
      findings: [
        {
          messageId: 'otherLibc',
          line: 2,
          severity: 'warning',
          data: { builderLibc: 'glibc', runtimeImage: 'alpine:3.20', runtimeLibc: 'musl' },
          message: /mounted into a RUN of alpine:3\.20 \(line 4\)/,
        },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM alpine:3.20',
        'RUN --mount=from=build,source=/out,target=/mnt cp /mnt/app /usr/local/bin/app',
        'ENTRYPOINT ["/usr/local/bin/app"]',
      ),
    },
    {
      name: 'cgo needed explicitly: no CGO_ENABLED=0 fix, the message names a base that fits',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN apk add --no-cache gcc musl-dev',
        'ENV CGO_ENABLED=1',
        'RUN go build -o /out/app .',
        'FROM gcr.io/distroless/base-debian12',
        ...copyApp,
      ),
      findings: [
        {
          messageId: 'otherLibc',
          line: 4,
          severity: 'warning',
          message: /CGO_ENABLED=1 is set.*use a base with musl such as alpine/,
        },
      ],
      output: null,
    },
    {
      name: 'the sources import go-sqlite3: no CGO_ENABLED=0, the runtime moves to distroless base',
      code: debianToScratch,
      files: sqliteSources,
      findings: [
        {
          messageId: 'otherLibc',
          line: 4,
          severity: 'error',
          message:
            /The program needs cgo \(main\.go imports github\.com\/mattn\/go-sqlite3.*would then be a stub that fails at run time; use a base with glibc/,
        },
      ],
      fix: 'Run it on gcr.io/distroless/base-debian13 (it has glibc)',
      output: debianToScratch.replace('FROM scratch', 'FROM gcr.io/distroless/base-debian13'),
    },
    {
      name: 'go.mod alone requires go-sqlite3 directly: no CGO_ENABLED=0 either',
      code: debianToScratch,
      goMod: SQLITE_GO_MOD,
      findings: [
        {
          messageId: 'otherLibc',
          line: 4,
          severity: 'error',
          message: /The program needs cgo \(go\.mod requires github\.com\/mattn\/go-sqlite3/,
        },
      ],
      output: debianToScratch.replace('FROM scratch', 'FROM gcr.io/distroless/base-debian13'),
    },
    {
      name: 'go.mod requires go-sqlite3 indirectly: CGO_ENABLED=0 stays the preferred fix',
      code: debianToScratch,
      goMod: SQLITE_GO_MOD.replace('v1.14.24', 'v1.14.24 // indirect'),
      findings: [
        { messageId: 'otherLibc', line: 4, severity: 'error', message: /Set CGO_ENABLED=0, or/ },
      ],
      output: debianToScratch.replace('RUN go build', 'RUN CGO_ENABLED=0 go build'),
    },
    {
      name: 'the program needs cgo, and the runtime stage runs commands: no fix at all',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
        'FROM alpine:3.21',
        'RUN apk add --no-cache ca-certificates',
        ...copyApp,
      ),
      files: sqliteSources,
      findings: [{ messageId: 'otherLibc', line: 4, severity: 'warning' }],
      output: null,
    },
    {
      name: 'the program needs cgo and the runtime base comes from a variable: no fix',
      code: lines(
        'ARG RUNTIME=scratch',
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
        'FROM ${RUNTIME}',
        ...copyApp,
      ),
      files: sqliteSources,
      findings: [{ messageId: 'otherLibc', line: 5, severity: 'error' }],
      output: null,
    },
    {
      name: 'cgo needed explicitly on a tagged alpine release: the runtime moves to that alpine',
      code: lines(
        'FROM golang:1.24-alpine3.21 AS build',
        'RUN apk add --no-cache gcc musl-dev',
        'RUN CGO_ENABLED=1 go build -o /out/app .',
        'FROM --platform=linux/amd64 gcr.io/distroless/static-debian12 AS run',
        ...copyApp,
      ),
      findings: [{ messageId: 'otherLibc', line: 3, severity: 'error' }],
      output: lines(
        'FROM golang:1.24-alpine3.21 AS build',
        'RUN apk add --no-cache gcc musl-dev',
        'RUN CGO_ENABLED=1 go build -o /out/app .',
        'FROM --platform=linux/amd64 alpine:3.21 AS run',
        ...copyApp,
      ),
    },
    {
      name: 'alpine builder with a C compiler installed',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN apk add --no-cache build-base',
        'RUN go build -o /out/app .',
        'FROM scratch',
        ...copyApp,
      ),
      findings: [
        {
          messageId: 'otherLibc',
          line: 3,
          severity: 'error',
          message: /a C compiler is installed/,
        },
      ],
      output: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN apk add --no-cache build-base',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM scratch',
        ...copyApp,
      ),
    },
    {
      name: 'exec-form RUN: ENV before it',
      code: lines(
        'FROM golang:1.24 AS build',
        '  RUN ["go", "build", "-o", "/out/app", "."]',
        'FROM scratch',
        ...copyApp,
      ),
      findings: [{ messageId: 'otherLibc', line: 2, severity: 'error' }],
      output: lines(
        'FROM golang:1.24 AS build',
        '  ENV CGO_ENABLED=0',
        '  RUN ["go", "build", "-o", "/out/app", "."]',
        'FROM scratch',
        ...copyApp,
      ),
    },
    {
      name: 'a heredoc build',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN <<EOF',
        'set -e',
        'go build -o /out/app .',
        'EOF',
        'FROM scratch',
        ...copyApp,
      ),
      findings: [{ messageId: 'otherLibc', line: 4, severity: 'error' }],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN <<EOF',
        'set -e',
        'CGO_ENABLED=0 go build -o /out/app .',
        'EOF',
        'FROM scratch',
        ...copyApp,
      ),
    },
    {
      name: 'go install output, a runtime inherited through FROM <stage>, lowercase',
      code: lines(
        'from golang:1.24 as build',
        'workdir /src',
        'run go install ./cmd/app',
        'from scratch as base',
        'from base',
        'copy --from=build /go/bin/app /app',
      ),
      findings: [{ messageId: 'otherLibc', line: 3, severity: 'error' }],
      output: lines(
        'from golang:1.24 as build',
        'workdir /src',
        'run CGO_ENABLED=0 go install ./cmd/app',
        'from scratch as base',
        'from base',
        'copy --from=build /go/bin/app /app',
      ),
    },
    {
      name: 'inside sh -c',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN sh -c "go build -o /out/app ."',
        'FROM scratch',
        ...copyApp,
      ),
      findings: [{ messageId: 'otherLibc', line: 2, severity: 'error' }],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN sh -c "CGO_ENABLED=0 go build -o /out/app ."',
        'FROM scratch',
        ...copyApp,
      ),
    },
  ],
});

test('a carrier is not the runtime when another stage ships, and is when it is the target', () => {
  const code = lines(
    'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS tool',
    'RUN apk add --no-cache gcc musl-dev',
    'RUN go build -o /out/linter ./cmd/linter',
    'FROM scratch AS linter-bin',
    'COPY --from=tool /out/linter /linter',
    'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS lint',
    'COPY --from=linter-bin /linter /usr/bin/linter',
    'RUN linter run ./...',
    'FROM alpine AS release',
    'RUN true',
  );
  assert.equal(
    runRule(cgoLibcMismatch, code, { targets: { names: ['lint'], source: '--target' } }).length,
    0,
  );
  const shipped = runRule(cgoLibcMismatch, code, {
    targets: { names: ['linter-bin'], source: '--target' },
  });
  assert.deepEqual(
    shipped.map((d) => [d.range.start.line + 1, d.severity]),
    [[3, 'error']],
  );
});
