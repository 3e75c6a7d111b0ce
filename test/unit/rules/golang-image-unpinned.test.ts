import { GO_RELEASE_DATA, supportedGoLines } from '../../../server/src/core/data/go-releases';
import { golangImageUnpinned } from '../../../server/src/core/rules/golang-image-unpinned';
import { CURRENT_GO as V, CURRENT_GO_PATCH } from '../../support/go-versions';
import { lines, ruleTester } from '../../support/rule-tester';

/** A supported Go line from the shipped data (`1.27`), escaped for a regular expression. */
const v = V.replace('.', '\\.');
const goMod = lines('module example.com/app', '', `go ${CURRENT_GO_PATCH}`);
/** A release line newer than the data knows, for a pre-release go line. */
const NEXT = `1.${Number(V.split('.')[1]) + 1}`;
const OLDEST = supportedGoLines().at(-1)!.minor;
const build = ['WORKDIR /src', 'COPY . .', 'RUN CGO_ENABLED=0 go build -o /out/app .'];
const runtime = ['FROM scratch', 'COPY --from=build /out/app /app', 'ENTRYPOINT ["/app"]'];

ruleTester(golangImageUnpinned, {
  valid: [
    {
      name: 'a minor version (patches keep compatibility)',
      code: lines('FROM golang:1.24-alpine AS build', ...build, ...runtime),
      goMod,
    },
    {
      name: 'a patch version and a release candidate',
      code: lines(
        'FROM golang:1.24.2-bookworm AS build',
        ...build,
        'FROM golang:1.25rc1 AS next',
        ...build,
        ...runtime,
      ),
    },
    {
      name: 'a digest pins the image whatever the tag',
      code: lines('FROM golang:alpine@sha256:0123456789abcdef AS build', ...build, ...runtime),
      goMod,
    },
    {
      name: 'an ARG without a default is set at build time',
      code: lines('ARG GO_VERSION', 'FROM golang:${GO_VERSION} AS build', ...build, ...runtime),
      goMod,
    },
    {
      name: 'a version through an ARG default',
      code: lines(
        'ARG GO_VERSION=1.24',
        'ARG ALPINE_VERSION=3.21',
        'FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine${ALPINE_VERSION} AS build',
        ...build,
        ...runtime,
      ),
    },
    {
      name: 'a stage built on a pinned golang stage',
      code: lines('FROM golang:1.24 AS base', 'FROM base AS build', ...build, ...runtime),
    },
    {
      name: 'a golang stage that compiles nothing: it supplies CA certificates and zoneinfo.zip',
      code: lines(
        'FROM golang:alpine as builder',
        'RUN apk add --no-cache ca-certificates && update-ca-certificates',
        'FROM scratch',
        'COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
        'COPY --from=builder /usr/local/go/lib/time/zoneinfo.zip /',
        'COPY ./out/server /app/server',
        'ENTRYPOINT ["/app/server"]',
      ),
      goMod,
    },
    {
      name: 'a start script that runs the program it was given, compiling nothing',
      code: lines('FROM golang:1-trixie', 'COPY app start.sh /srv/', 'CMD ["/srv/start.sh"]'),
      files: { 'start.sh': '#!/bin/sh\nexec /srv/app --port 8080\n', app: 'binary' },
    },
    {
      name: 'a stage that only downloads the modules another stage builds with',
      code: lines(
        'FROM golang:alpine AS modules',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'FROM golang:1.24-alpine AS build',
        'COPY --from=modules /go/pkg/mod /go/pkg/mod',
        ...build,
        ...runtime,
      ),
      goMod,
    },
    {
      name: 'GOTOOLCHAIN names the Go that builds, whatever the image brings',
      code: lines('FROM golang:alpine AS build', 'ENV GOTOOLCHAIN=go1.24.3', ...build, ...runtime),
      goMod,
    },
    {
      name: 'images that are not the official golang image',
      code: lines(
        'FROM golangci/golangci-lint:latest AS lint',
        'FROM ghcr.io/acme/golang:latest AS build',
        ...build,
        ...runtime,
      ),
    },
  ],
  invalid: [
    {
      name: 'pinned to the go line of the module the stage copies and builds, not of the go.mod above',
      code: lines(
        'FROM golang:1 AS build',
        'WORKDIR /app',
        'COPY tools/gen/ .',
        'RUN go build -o /out/app .',
        ...runtime,
      ),
      goMod: lines('module example.com/app', '', 'go 1.17'),
      files: {
        'go.mod': lines('module example.com/app', '', 'go 1.17'),
        'tools/gen/go.mod': lines('module example.com/gen', '', `go ${CURRENT_GO_PATCH}`),
        'tools/gen/main.go': 'package main\n\nfunc main() {}\n',
      },
      findings: [
        {
          messageId: 'majorOnly',
          line: 1,
          message: new RegExp(`Pin the minor version tools/gen/go\\.mod names: golang:${v}\\.$`),
        },
      ],
      output: lines(
        `FROM golang:${V} AS build`,
        'WORKDIR /app',
        'COPY tools/gen/ .',
        'RUN go build -o /out/app .',
        ...runtime,
      ),
    },
    {
      name: 'golang:alpine, pinned to the go.mod version with the variant kept',
      code: lines('FROM golang:alpine AS build', ...build, ...runtime),
      goMod,
      findings: [
        {
          messageId: 'noVersion',
          line: 1,
          column: 6,
          message: new RegExp(
            `^golang:alpine names no Go version: each new Go release changes the compiler and standard library it builds with\\. Pin the minor version go\\.mod names: golang:${v}-alpine\\.$`,
          ),
        },
      ],
      output: lines(`FROM golang:${V}-alpine AS build`, ...build, ...runtime),
    },
    {
      name: 'golang without a tag, after a --platform flag with a variable',
      code: lines('FROM --platform=$BUILDPLATFORM golang AS build', ...build, ...runtime),
      goMod,
      findings: [
        { messageId: 'noVersion', line: 1, column: 32, message: /^golang names no Go version/ },
      ],
      output: lines(`FROM --platform=$BUILDPLATFORM golang:${V} AS build`, ...build, ...runtime),
    },
    {
      name: 'golang:latest from a registry',
      code: lines('FROM docker.io/library/golang:latest AS build', ...build, ...runtime),
      goMod,
      findings: [
        {
          messageId: 'noVersion',
          line: 1,
          message: new RegExp(
            `Pin the minor version go\\.mod names: docker\\.io/library/golang:${v}\\.$`,
          ),
        },
      ],
      output: lines(`FROM docker.io/library/golang:${V} AS build`, ...build, ...runtime),
    },
    {
      name: 'a long image name is cut in its middle: the tag the message is about stays',
      code: lines('FROM docker.mirror.example-corp.services/golang:alpine AS build', ...build),
      findings: [
        {
          messageId: 'noVersion',
          line: 1,
          message: /^docker\.mirror\.example-cor…\/golang:alpine names no Go version/,
        },
      ],
      output: null,
    },
    {
      name: 'a major-only tag floats across minor releases',
      code: lines('from mirror.gcr.io/golang:1-bookworm as build', ...build, ...runtime),
      goMod,
      findings: [{ messageId: 'majorOnly', line: 1 }],
      output: lines(`from mirror.gcr.io/golang:${V}-bookworm as build`, ...build, ...runtime),
    },
    {
      name: 'a variant from an ARG: the version goes into the FROM line',
      code: lines(
        'ARG VARIANT=alpine3.21',
        'FROM golang:${VARIANT} AS build',
        ...build,
        ...runtime,
      ),
      goMod,
      findings: [
        {
          messageId: 'noVersion',
          line: 2,
          column: 6,
          message: /^golang:alpine3\.21 names no Go version/,
        },
      ],
      output: lines(
        'ARG VARIANT=alpine3.21',
        `FROM golang:${V}-\${VARIANT} AS build`,
        ...build,
        ...runtime,
      ),
    },
    {
      name: 'latest from an ARG default: the default is pinned',
      code: lines('ARG GOVERSION=latest', 'FROM golang:$GOVERSION AS build', ...build, ...runtime),
      goMod,
      findings: [
        {
          messageId: 'noVersion',
          line: 2,
          message: new RegExp(`through ARG GOVERSION \\(line 1\\): golang:${v}\\.$`),
        },
      ],
      output: lines(`ARG GOVERSION=${V}`, 'FROM golang:$GOVERSION AS build', ...build, ...runtime),
    },
    {
      name: 'an ARG also read inside a stage is not rewritten',
      code: lines(
        'ARG GOVERSION=latest',
        'FROM golang:$GOVERSION AS build',
        'ARG GOVERSION',
        'LABEL go.version=$GOVERSION',
        ...build,
        ...runtime,
      ),
      goMod,
      findings: [
        {
          messageId: 'noVersion',
          line: 2,
          message: new RegExp(
            `golang:${v} \\(ARG GOVERSION is also read inside a stage, so change it by hand\\)\\.$`,
          ),
        },
      ],
      output: null,
    },
    {
      name: 'reported once on the golang FROM, not on the stages built on it',
      code: lines('FROM golang AS base', 'FROM base AS build', ...build, ...runtime),
      findings: [
        {
          messageId: 'noVersion',
          line: 1,
          message: /Pin a Go minor version \(golang:1\.<minor>\)\.$/,
        },
      ],
      output: null,
    },
    {
      name: 'a test stage compiles the tests with whichever Go the tag brings',
      code: lines('FROM golang:latest AS test', 'COPY . .', 'RUN go test ./...'),
      findings: [{ messageId: 'noVersion', line: 1 }],
      output: null,
    },
    {
      name: 'a development image compiles at start (go run, a live-reload tool)',
      code: lines(
        'FROM golang:alpine AS dev',
        'RUN go install github.com/air-verse/air@latest',
        'CMD ["air"]',
        'FROM golang AS run',
        'COPY . .',
        'ENTRYPOINT go run .',
      ),
      findings: [
        { messageId: 'noVersion', line: 1 },
        { messageId: 'noVersion', line: 4 },
      ],
      output: null,
    },
    {
      // A packaging image: the start script builds the program with make when the container runs.
      name: 'a start script from the context that runs make compiles at start',
      code: lines('FROM golang:1-trixie', 'ADD . /src', 'CMD ["/src/packaging/build.sh"]'),
      files: {
        'packaging/build.sh': '#!/bin/sh\nset -e\ncd /src\nmake app\ndpkg-buildpackage -us -uc\n',
      },
      findings: [{ messageId: 'majorOnly', line: 1 }],
      output: null,
    },
    {
      name: 'make in a stage that another stage copies from builds what ships',
      code: lines('FROM golang:bookworm AS build', 'COPY . .', 'RUN make', ...runtime),
      findings: [{ messageId: 'noVersion', line: 1 }],
      output: null,
    },
    {
      name: 'without a go.mod: no fix, the variant is named',
      code: lines('FROM golang:1-alpine AS build', ...build, ...runtime),
      findings: [{ messageId: 'majorOnly', line: 1, message: /\(golang:1\.<minor>-alpine\)\.$/ }],
      output: null,
    },
    {
      name: 'a go line with a patch pins the minor release, which gets the security fixes',
      code: lines('FROM golang:latest AS build', ...build, ...runtime),
      goMod: lines(
        'module example.com/app',
        '',
        `go ${V}.0`,
        '',
        `toolchain go${CURRENT_GO_PATCH}`,
      ),
      findings: [{ messageId: 'noVersion', line: 1, message: new RegExp(`golang:${v}\\.$`) }],
      output: lines(`FROM golang:${V} AS build`, ...build, ...runtime),
    },
    {
      name: 'a pre-release go line is kept as written',
      code: lines('FROM golang:alpine AS build', ...build, ...runtime),
      goMod: lines('module example.com/app', '', `go ${NEXT}rc1`),
      findings: [
        {
          messageId: 'noVersion',
          line: 1,
          message: new RegExp(`golang:${NEXT.replace('.', '\\.')}rc1-alpine\\.$`),
        },
      ],
      output: lines(`FROM golang:${NEXT}rc1-alpine AS build`, ...build, ...runtime),
    },
    {
      name: 'a go line that is no version: no fix, and no made-up tag',
      code: lines('FROM golang AS build', ...build, ...runtime),
      goMod: lines('module example.com/app', '', 'go latest'),
      findings: [
        {
          messageId: 'noVersion',
          line: 1,
          message: /Pin a Go minor version \(go\.mod says latest\)\.$/,
        },
      ],
      output: null,
    },
    {
      name: 'a go line out of support: the oldest supported line, which the go line allows',
      code: lines('FROM golang:latest AS build', ...build, ...runtime),
      goMod: lines('module example.com/app', '', 'go 1.14'),
      findings: [
        {
          messageId: 'noVersion',
          line: 1,
          message: new RegExp(
            `Pin the oldest supported Go \\(go\\.mod's 1\\.14 is out of support, release data of ${GO_RELEASE_DATA.date}\\): golang:${OLDEST.replace('.', '\\.')}\\.$`,
          ),
        },
      ],
      output: lines(`FROM golang:${OLDEST} AS build`, ...build, ...runtime),
    },
    {
      name: 'raised to a supported line, an old Alpine release in the tag: no tag made up',
      code: lines('FROM golang:alpine3.10 AS build', ...build, ...runtime),
      goMod: lines('module example.com/app', '', 'go 1.12'),
      findings: [
        {
          messageId: 'noVersion',
          line: 1,
          message: new RegExp(
            `on a current Alpine release \\(golang:${OLDEST.replace('.', '\\.')}-alpine\\)\\.$`,
          ),
        },
      ],
      output: null,
    },
    {
      name: 'a tag that is not a known variant: no fix',
      code: lines('FROM golang:tip AS build', ...build, ...runtime),
      goMod,
      findings: [
        {
          messageId: 'noVersion',
          line: 1,
          message: new RegExp(`Pin it to Go ${v}, the minor version go\\.mod names\\.$`),
        },
      ],
      output: null,
    },
  ],
});
