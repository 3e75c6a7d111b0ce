import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../../server/src/core';
import { goBuildWithoutCacheMount } from '../../../server/src/core/rules/go-build-without-cache-mount';
import { applyEdits } from '../../../server/src/core/text/edits';
import { lines, ruleTester, runRule } from '../../support/rule-tester';
import { testContext } from '../../support/context';

const syntax = '# syntax=docker/dockerfile:1';
const both =
  '--mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build';

ruleTester(goBuildWithoutCacheMount, {
  valid: [
    {
      name: 'both caches mounted',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod \\',
        '    --mount=type=cache,target=/root/.cache/go-build \\',
        '    go build -o /out/app .',
      ),
    },
    {
      name: 'mounts above the cache directories, target written first',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN --mount=target=/go/pkg,type=cache --mount=type=cache,target=/root/.cache go install ./cmd/app',
      ),
    },
    {
      name: 'GOMODCACHE and GOCACHE moved, and mounted where they point',
      code: lines(
        'FROM golang:1.24 AS build',
        'ENV GOCACHE=/cache/build GOMODCACHE=/cache/mod',
        'RUN --mount=type=cache,target=/cache go build -o /out/app .',
      ),
    },
    {
      name: 'the module download cache and a relative target',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'ENV GOCACHE=/go-build',
        'WORKDIR /',
        'RUN --mount=type=cache,target=/go/pkg/mod/cache --mount=type=cache,target=go-build go build -o /out/app .',
      ),
    },
    {
      name: 'go mod download needs only the module cache',
      code: lines(
        'FROM golang:1.24 AS build',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
      ),
    },
    {
      name: 'a vendored build needs only the build cache',
      code: lines(
        'FROM golang:1.24 AS build',
        'ENV GOFLAGS=-mod=vendor',
        'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .',
      ),
    },
    {
      name: 'a build after a download into the layer needs only the build cache',
      code: lines(
        'FROM golang:1.24 AS build',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .',
      ),
    },
    {
      name: 'a build after the module cache was copied in from another stage',
      code: lines(
        'FROM golang:1.24 AS deps',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download && cp -r /go/pkg/mod /mod',
        'FROM golang:1.24 AS build',
        'COPY --from=deps /mod /go/pkg/mod',
        'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .',
      ),
    },
    {
      name: 'GOCACHE=off',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN --mount=type=cache,target=/go/pkg/mod GOCACHE=off go build -o /out/app .',
      ),
    },
    {
      name: 'an unknown base image: its GOPATH and HOME are unknown',
      code: lines('FROM example.com/go-builder:1', 'RUN go build -o /out/app .'),
    },
    {
      name: 'a non-root USER with no HOME known and GOPATH mounted',
      code: lines(
        'FROM golang:1.24 AS build',
        'USER 1000',
        'RUN --mount=type=cache,target=/go/pkg/mod,uid=1000 go build -o /tmp/app .',
      ),
    },
    {
      name: 'go vet, go test and go env are not asked about',
      code: lines('FROM golang:1.24 AS build', 'RUN go vet ./... && go test ./... && go env'),
    },
    {
      name: 'building the standard library downloads no module',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN --mount=type=cache,target=/root/.cache/go-build go build std',
      ),
    },
    {
      name: 'a module whose go.mod requires nothing downloads no module',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .',
      ),
      goMod: 'module example.com/app\n\ngo 1.24\n',
    },
    {
      name: 'a container that starts with go run needs the modules in the image',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go mod download',
        'ENTRYPOINT ["go", "run", "."]',
      ),
    },
    {
      name: 'a builder image whose start script (read from the context) builds mounted sources',
      code: lines(
        'FROM golang:1.24',
        'COPY go.mod go.sum /tmp/mods/',
        'RUN cd /tmp/mods && go mod download && rm -r /tmp/mods',
        'COPY entrypoint.sh /entrypoint.sh',
        'ENTRYPOINT ["/entrypoint.sh"]',
      ),
      files: {
        'go.mod': 'module example.com/app\n\ngo 1.24\n\nrequire example.com/lib v1.0.0\n',
        'go.sum': '',
        'entrypoint.sh': '#!/bin/sh\nset -e\ncd /src\ngo build -o /out/app .\n',
      },
    },
    {
      name: 'a live-reload image rebuilds at start with the modules of the image',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \\',
        '    go install github.com/air-verse/air@v1.61.7',
        'RUN go mod download',
        'CMD ["air", "-c", ".air.toml"]',
      ),
    },
    {
      name: 'modd (a live-reload tool), directly or from the start script: the same',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'CMD ["modd", "-f", "modd.conf"]',
      ),
    },
    {
      name: 'a start script that runs modd',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY dev-env.sh ./',
        'CMD ["./dev-env.sh"]',
      ),
      files: { 'dev-env.sh': '#!/bin/sh\nset -e\nmodd -f dev/modd.conf\n' },
    },
    {
      name: 'a development stage started with `make watch`, or a shell running go run: the same',
      code: lines(
        'FROM alpine:3.22 AS base',
        'COPY --from=golang:1.25-alpine /usr/local/go/ /usr/local/go/',
        'ENV PATH="/usr/local/go/bin:${PATH}"',
        'WORKDIR /src',
        'COPY . .',
        'FROM base AS dev',
        'RUN make install',
        'CMD ["make", "watch"]',
        'FROM base AS shell-dev',
        'RUN go mod download',
        'CMD ["sh", "-c", "go run . --config config.yml"]',
      ),
      files: {
        'go.mod': 'module example.com/app\n\ngo 1.25\n\nrequire example.com/lib v1.0.0\n',
        Makefile: 'install:\n\tgo mod download\nwatch:\n\tsh ./scripts/watch.sh\n',
      },
    },
    {
      name: 'a debugger that compiles at start, in a stage built on the download',
      code: lines(
        'FROM golang:1.24 AS deps',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'FROM deps AS debug',
        'COPY . .',
        'CMD dlv debug --headless --listen=:2345 .',
      ),
    },
    {
      name: 'make in a stage without the go command',
      code: lines('FROM debian:12', 'COPY . /src', 'RUN make -C /src install'),
    },
    {
      name: 'make in a stage that copies only gofmt from the golang image: no toolchain',
      code: lines(
        'FROM alpine:3.22',
        'COPY --from=golang:1.25-alpine /usr/local/go/bin/gofmt /usr/local/bin/gofmt',
        'COPY . /src',
        'RUN make -C /src install',
      ),
    },
  ],
  invalid: [
    {
      name: 'a live-reload image: the install of the tool itself is asked about',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24',
        'WORKDIR /src',
        'RUN go install github.com/air-verse/air@v1.61.7',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'CMD ["air", "-c", ".air.toml"]',
      ),
      findings: [{ messageId: 'noCacheMount', line: 4, message: /^`go install` runs without/ }],
    },
    {
      // `go clean -modcache` fails on a mount point ("device or resource busy"): a fix adding the
      // mounts and keeping it would break the build.
      name: 'a RUN that empties the caches itself: reported, with no fix and the clean named',
      code: lines(
        'FROM golang:1.26',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app ./cmd/app && go clean -modcache -cache',
      ),
      findings: [
        {
          messageId: 'noCacheMount',
          line: 4,
          message: /Drop `go clean -modcache -cache` then: it cannot remove a mounted cache\.$/,
        },
      ],
      output: null,
    },
    {
      name: 'rm -rf of a folder above the build cache: no fix either',
      code: lines(
        'FROM golang:1.26',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod go build -o /out/app . && rm -rf /root/.cache',
      ),
      findings: [
        { messageId: 'noOneCacheMount', line: 6, message: /Drop `rm -rf \/root\/\.cache`/ },
      ],
      output: null,
    },
    {
      name: 'dlv exec runs a binary built before: the build still wants its caches',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -gcflags=all="-N -l" -o /app .',
        'CMD ["dlv", "exec", "/app", "--headless", "--listen=:2345"]',
      ),
      findings: [{ messageId: 'noCacheMount', line: 5 }],
    },
    {
      name: 'a plain go build: both mounts and the syntax directive',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
      findings: [
        {
          messageId: 'noCacheMount',
          line: 4,
          column: 5,
          severity: 'hint',
          message:
            /`go build` runs without a BuildKit cache mount for the module cache \(\/go\/pkg\/mod\) and the build cache \(\/root\/\.cache\/go-build\)/,
        },
      ],
      output: lines(
        syntax,
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        `RUN ${both} go build -o /out/app .`,
      ),
    },
    {
      name: 'an existing syntax directive is kept, only the missing mount is added',
      code: lines(
        '# syntax=docker/dockerfile:1.7',
        'FROM golang:1.24 AS build',
        'RUN --mount=type=cache,target=/go/pkg/mod go build -o /out/app .',
      ),
      findings: [
        {
          messageId: 'noOneCacheMount',
          line: 3,
          message:
            /recompiles every package again\. .*for the build cache \(\/root\/\.cache\/go-build\): /,
        },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1.7',
        'FROM golang:1.24 AS build',
        'RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go build -o /out/app .',
      ),
    },
    {
      name: 'go mod download: the module cache, and advice for the RUNs after it',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'FROM scratch',
      ),
      findings: [
        {
          messageId: 'noCacheMount',
          line: 4,
          column: 5,
          message: /and the same mount to the RUNs that build after it/,
        },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        'FROM scratch',
      ),
    },
    {
      name: 'GOMODCACHE, GOCACHE and GOPATH overrides are respected',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'ENV GOMODCACHE=/cache/mod',
        'RUN go env -w GOCACHE=/cache/build',
        'RUN go build -o /out/app .',
      ),
      findings: [
        {
          messageId: 'noCacheMount',
          line: 5,
          message:
            /\(\/cache\/mod, from GOMODCACHE\) and the build cache \(\/cache\/build, from GOCACHE\)/,
        },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'ENV GOMODCACHE=/cache/mod',
        'RUN go env -w GOCACHE=/cache/build',
        'RUN --mount=type=cache,target=/cache/mod --mount=type=cache,target=/cache/build go build -o /out/app .',
      ),
    },
    {
      name: 'a build after a go mod download into the layer needs only the build cache',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
      findings: [{ messageId: 'noCacheMount', line: 6 }],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        'COPY . .',
        `RUN ${both} go build -o /out/app .`,
      ),
    },
    {
      name: 'go mod tidy downloads like go mod download: the build after it needs only the build cache',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'COPY . .',
        'RUN go mod tidy',
        'RUN go build -o /out/app .',
      ),
      findings: [
        { messageId: 'noCacheMount', line: 4, data: { effects: 'downloads every module' } },
        { messageId: 'noCacheMount', line: 5, data: { effects: 'recompiles every package' } },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod tidy',
        `RUN ${both} go build -o /out/app .`,
      ),
    },
    {
      name: '`go clean -i ./...` loads the packages: the download’s fix mounts the module cache there too',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24-alpine AS build',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN go clean -i ./...',
        'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .',
      ),
      findings: [
        { messageId: 'noCacheMount', line: 4, data: { effects: 'downloads every module' } },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24-alpine AS build',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod go clean -i ./...',
        `RUN ${both} go build -o /out/app .`,
      ),
    },
    {
      name: 'the xx helpers copied in whole bring no modules: the build still relies on the download',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM --platform=$BUILDPLATFORM tonistiigi/xx:1.9.0 AS xx',
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS build',
        'COPY --from=xx / /',
        'COPY . .',
        'RUN go mod download',
        'RUN xx-go build -o /out/app .',
      ),
      findings: [
        { messageId: 'noCacheMount', line: 6, data: { effects: 'downloads every module' } },
        { messageId: 'noCacheMount', line: 7, data: { effects: 'recompiles every package' } },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM --platform=$BUILDPLATFORM tonistiigi/xx:1.9.0 AS xx',
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS build',
        'COPY --from=xx / /',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        `RUN ${both} xx-go build -o /out/app .`,
      ),
    },
    {
      name: 'a second download finds the first one’s modules: asked once, and the fix mounts both',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'COPY . .',
        'RUN go mod tidy',
        'WORKDIR /src/tools',
        'RUN go mod tidy',
        'FROM scratch',
      ),
      findings: [{ messageId: 'noCacheMount', line: 4 }],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod tidy',
        'WORKDIR /src/tools',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod tidy',
        'FROM scratch',
      ),
    },
    {
      name: 'a modules stage whose module cache a later stage copies out: that cache is no finding',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24-alpine AS modules',
        'WORKDIR /modules',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'FROM golang:1.24-alpine AS builder',
        'COPY --from=modules /go/pkg /go/pkg',
        'COPY . /app',
        'WORKDIR /app',
        'RUN go build -o /bin/app .',
      ),
      goMod: 'module example.com/app\n\ngo 1.24\n\nrequire example.com/lib v1.0.0\n',
      findings: [
        { messageId: 'noCacheMount', line: 10, message: /recompiles every package again\.$/ },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24-alpine AS modules',
        'WORKDIR /modules',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'FROM golang:1.24-alpine AS builder',
        'COPY --from=modules /go/pkg /go/pkg',
        'COPY . /app',
        'WORKDIR /app',
        'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /bin/app .',
      ),
    },
    {
      name: 'no go.mod in the build context: a build outside any module downloads nothing',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.13-alpine AS build',
        'WORKDIR /app',
        'COPY main.go .',
        'RUN go build -o /out/app .',
      ),
      files: { 'main.go': 'package main\n\nfunc main() {}\n' },
      findings: [
        {
          messageId: 'noCacheMount',
          line: 5,
          message: /^`go build` has no cache mount: each rebuild recompiles every package again\.$/,
        },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.13-alpine AS build',
        'WORKDIR /app',
        'COPY main.go .',
        'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .',
      ),
    },
    {
      name: "a tree the image cloned is its own module: the context's go.mod says nothing of it",
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS tool',
        'WORKDIR /tool',
        'RUN git clone https://github.com/example/tool.git',
        'RUN --mount=type=cache,target=/root/.cache/go-build cd tool && go build -o /out/tool .',
      ),
      goMod: 'module example.com/app\n\ngo 1.24\n',
      findings: [{ messageId: 'noOneCacheMount', line: 5, data: { cache: 'module cache' } }],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS tool',
        'WORKDIR /tool',
        'RUN git clone https://github.com/example/tool.git',
        'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build cd tool && go build -o /out/tool .',
      ),
    },
    {
      name: 'a cloned tree is found past the options of git clone that take a value',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS tool',
        'WORKDIR /tool',
        'RUN git clone --depth 1 --branch v1.2.0 https://github.com/example/tool.git',
        'RUN --mount=type=cache,target=/root/.cache/go-build cd tool && go build -o /out/tool .',
      ),
      goMod: 'module example.com/app\n\ngo 1.24\n',
      findings: [{ messageId: 'noOneCacheMount', line: 5, data: { cache: 'module cache' } }],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS tool',
        'WORKDIR /tool',
        'RUN git clone --depth 1 --branch v1.2.0 https://github.com/example/tool.git',
        'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build cd tool && go build -o /out/tool .',
      ),
    },
    {
      name: 'a build after `go get -d ./...` finds the modules in the layer: only the build cache',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.16 AS build',
        'WORKDIR /go/src/app',
        'COPY . .',
        'RUN go get -d -v ./...',
        'RUN go build -o /go/bin/app -v ./...',
      ),
      findings: [
        {
          messageId: 'noCacheMount',
          line: 6,
          message: /^`go build` has no cache mount: each rebuild recompiles every package again\.$/,
        },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.16 AS build',
        'WORKDIR /go/src/app',
        'COPY . .',
        'RUN go get -d -v ./...',
        'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /go/bin/app -v ./...',
      ),
    },
    {
      name: 'a download into the layer: its fix mounts the module cache where the build reads it too',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .',
        'FROM build AS test',
        'RUN --mount=type=cache,target=/root/.cache/go-build go vet ./... && go build ./...',
      ),
      findings: [
        {
          messageId: 'noCacheMount',
          line: 4,
          message:
            /and the module cache mount to the RUNs on lines 6, 8 that read the modules it downloads/,
        },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .',
        'FROM build AS test',
        'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go vet ./... && go build ./...',
      ),
    },
    {
      name: 'a download into the layer: `go mod verify` after it reads the modules too',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'RUN go mod verify',
        'COPY . .',
        'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .',
      ),
      findings: [
        {
          messageId: 'noCacheMount',
          line: 4,
          message: /RUNs on lines 5, 7 that read the modules it downloads/,
        },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod verify',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .',
      ),
    },
    {
      name: 'a warm-up build before COPY . .: the build after it is named, and reported itself',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go build std',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
      findings: [
        {
          messageId: 'noCacheMount',
          line: 4,
          message:
            /Give the build cache mount to the RUN on line 6 too: it compiles with the packages this RUN leaves in the layer/,
        },
        { messageId: 'noCacheMount', line: 6 },
      ],
    },
    {
      name: 'make: the mounts go on the RUN that runs it',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN apk add make && make build',
      ),
      findings: [
        {
          messageId: 'noCacheMount',
          line: 5,
          column: 21,
          message:
            /^`make` runs without a BuildKit cache mount for the module cache \(\/go\/pkg\/mod\) and the build cache/,
        },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        `RUN ${both} apk add make && make build`,
      ),
    },
    {
      name: 'make in a stage built on one that copies the golang toolchain in: $HOME/go, not /go',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM alpine:3.22 AS base',
        'RUN apk add --no-cache make gcc musl-dev',
        'COPY --from=golang:1.25-alpine /usr/local/go/ /usr/local/go/',
        'ENV PATH="/usr/local/go/bin:${PATH}"',
        'WORKDIR /src',
        'COPY . .',
        'FROM base AS build',
        'RUN make',
      ),
      findings: [
        {
          messageId: 'noCacheMount',
          line: 9,
          message:
            /^`make` runs without a BuildKit cache mount for the module cache \(\/root\/go\/pkg\/mod\) and the build cache/,
        },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM alpine:3.22 AS base',
        'RUN apk add --no-cache make gcc musl-dev',
        'COPY --from=golang:1.25-alpine /usr/local/go/ /usr/local/go/',
        'ENV PATH="/usr/local/go/bin:${PATH}"',
        'WORKDIR /src',
        'COPY . .',
        'FROM base AS build',
        'RUN --mount=type=cache,target=/root/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build make',
      ),
    },
    {
      name: 'make in a stage that copies the toolchain from a golang stage',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.25 AS go',
        'FROM debian:12-slim AS build',
        'COPY --from=go /usr/local/go /usr/local/go',
        'WORKDIR /src',
        'COPY . .',
        'RUN make build',
      ),
      findings: [{ messageId: 'noCacheMount', line: 7 }],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.25 AS go',
        'FROM debian:12-slim AS build',
        'COPY --from=go /usr/local/go /usr/local/go',
        'WORKDIR /src',
        'COPY . .',
        'RUN --mount=type=cache,target=/root/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build make build',
      ),
    },
    {
      name: 'a download into the layer: make after it needs the module cache mount too',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN --mount=type=cache,target=/root/.cache/go-build make release',
      ),
      findings: [
        {
          messageId: 'noCacheMount',
          line: 4,
          message: /module cache mount to the RUN on line 6 that reads the modules/,
        },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build make release',
      ),
    },
    {
      name: 'a compiling go run after a download into the layer: the build cache',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod go run build/ci.go install ./cmd/app',
      ),
      findings: [
        {
          messageId: 'noOneCacheMount',
          line: 7,
          message: /^`go run` runs without a BuildKit cache mount for the build cache/,
        },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        'COPY . .',
        'RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go run build/ci.go install ./cmd/app',
      ),
    },
    {
      name: 'a heredoc, lowercase run',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'from golang:1.24 as build',
        'run <<EOF',
        'set -e',
        'go install ./cmd/app',
        'EOF',
      ),
      findings: [{ messageId: 'noCacheMount', line: 5, column: 1 }],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'from golang:1.24 as build',
        `run ${both} <<EOF`,
        'set -e',
        'go install ./cmd/app',
        'EOF',
      ),
    },
    {
      name: 'exec form',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'RUN ["go", "build", "-o", "/out/app", "."]',
      ),
      findings: [{ messageId: 'noCacheMount', line: 3, column: 6 }],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        `RUN ${both} ["go", "build", "-o", "/out/app", "."]`,
      ),
    },
    {
      name: 'an && chain, sh -c and a continuation: one finding for the RUN',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'RUN go mod download && \\',
        '    sh -c "go build -o /out/app ."',
      ),
      findings: [
        {
          messageId: 'noCacheMounts',
          line: 3,
          column: 5,
          message: /^`go mod download`, `go build` runs without/,
        },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        `RUN ${both} go mod download && \\`,
        '    sh -c "go build -o /out/app ."',
      ),
    },
    {
      name: 'the directive goes first: before an escape directive and after a byte-order mark, CRLF kept',
      code: '\uFEFF# escape=`\r\nFROM golang:1.24 AS build\r\nRUN go build `\r\n    -o /out/app .\r\n',
      findings: [{ messageId: 'noCacheMount', line: 3, column: 5 }],
      output: `\uFEFF${syntax}\r\n# escape=\`\r\nFROM golang:1.24 AS build\r\nRUN ${both} go build \`\r\n    -o /out/app .\r\n`,
    },
    {
      name: 'a non-root USER with HOME set, and an alpine builder with GOPATH from the image',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24-alpine AS build',
        'ENV HOME=/home/app',
        'USER app',
        'RUN go build -o /tmp/app .',
      ),
      findings: [
        {
          messageId: 'noCacheMount',
          line: 5,
          message: /\(\/go\/pkg\/mod\) and the build cache \(\/home\/app\/\.cache\/go-build\)/,
        },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24-alpine AS build',
        'ENV HOME=/home/app',
        'USER app',
        'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/home/app/.cache/go-build go build -o /tmp/app .',
      ),
    },
    {
      name: 'go install of a tool at a version downloads it',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24',
        'RUN go install golang.org/x/tools/cmd/goimports@v0.29.0',
      ),
      findings: [{ messageId: 'noCacheMount', line: 3 }],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24',
        `RUN ${both} go install golang.org/x/tools/cmd/goimports@v0.29.0`,
      ),
    },
  ],
});

test('go-build-without-cache-mount: every fix of a file adds the same directive edit', () => {
  const code = lines(
    'FROM golang:1.24 AS build',
    'RUN go mod download',
    'RUN go build -o /out/app .',
  );
  const found = runRule(goBuildWithoutCacheMount, code);
  assert.equal(found.length, 2);
  for (const finding of found) {
    const fixed = applyEdits(code, finding.fixes[0].edits);
    assert.ok(fixed.startsWith(syntax + '\n'), fixed);
    assert.equal(fixed.split(syntax).length, 2, 'one directive');
  }
});

test('go-build-without-cache-mount: a tool from elsewhere or another module warms no later build', () => {
  const code = lines(
    'FROM golang:1.24 AS build',
    'RUN go install github.com/go-delve/delve/cmd/dlv@v1.25.0',
    'WORKDIR /src/server',
    'COPY server/ .',
    'RUN go build -o /out/server .',
    'WORKDIR /src/cli',
    'COPY cli/ .',
    'RUN go build -o /out/cli .',
  );
  const found = runRule(goBuildWithoutCacheMount, code, {
    context: testContext(undefined, {
      'server/go.mod': 'module example.com/server\n',
      'server/main.go': 'package main\n',
      'cli/go.mod': 'module example.com/cli\n',
      'cli/main.go': 'package main\n',
    }),
  });
  assert.deepEqual(
    found.map((f) => f.range.start.line + 1),
    [2, 5, 8],
  );
  for (const finding of found) assert.doesNotMatch(finding.detail ?? '', /Give the build cache/);
});

// A Makefile whose targets run pip, npm and patch besides one that builds Go.
const makefile = [
  'PIP := pip3',
  'GOCMD := go',
  'GOMOD := $(GOCMD) mod',
  '.PHONY: docs-deps web-build build',
  'docs-venv:',
  '\tpython3 -m venv ./venv',
  'docs-deps: docs-venv',
  '\t(. venv/bin/activate && $(PIP) install -r requirements.txt)',
  'web-build:',
  '\tcd web && npm run build',
  'patch::',
  '\tpatch -N -d $(GOROOT)/src -i asn1.diff',
  'build: generate',
  '\tCGO_ENABLED=0 go build -o /out/app .',
  'generate:',
  '\t$(GOCMD) generate ./...',
  'release:',
  '\t$(MAKE) build',
  'site: PAGES = build',
  'site:',
  '\tmkdocs build',
  'script:',
  '\t./scripts/build.sh',
  'missing-script:',
  '\t./scripts/missing.sh',
  'download:',
  '\t$(GOMOD) download',
  'verify: download',
  '\t$(GOMOD) verify',
  'mod-build:',
  '\tgo build -mod=mod -o /out/app .',
  'VENDORFLAGS := -mod=vendor',
  'vendor-build:',
  '\t$(GOCMD) build $(VENDORFLAGS) -o /out/app .',
  'clean:',
  '\t@rm -rf vendor/',
  '\t@$(GOCMD) clean -i ./...',
  'rebuild-all:',
  '\tCGO_ENABLED=0 go build -v -a -tags=netgo -o /out/app .',
].join('\n');
const makeContext = ['Makefile', 'go.mod', 'go.sum', 'main.go', 'scripts/build.sh', 'web/x.js'];
const goMod122 = 'module example.com/app\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n';
const makeFiles = {
  Makefile: makefile,
  'go.mod': goMod122,
  'scripts/build.sh': '#!/bin/sh\ngo build -o /out/app ./cmd/app\n',
};
const vendored = ['go.mod', 'go.sum', 'main.go', 'vendor/modules.txt', 'Makefile'];
const buildCacheOnly = '--mount=type=cache,target=/root/.cache/go-build';
const moduleCacheOnly = '--mount=type=cache,target=/go/pkg/mod';
const makeStage = (...rest: string[]) =>
  lines(syntax, 'FROM golang:1.24 AS build', 'WORKDIR /src', 'COPY . .', ...rest);

ruleTester(goBuildWithoutCacheMount, {
  valid: [
    {
      name: 'make targets whose recipes and prerequisites run no go',
      code: makeStage(
        'RUN make docs-deps',
        'RUN make web-build',
        'RUN make patch',
        'RUN make VERSION=1.0 site',
      ),
      context: makeContext,
      readFile: makeFiles,
    },
    {
      name: 'a script whose go runs as another user: no root-owned cache mount for it',
      code: makeStage('RUN bash scripts/tools.sh dev'),
      context: [...makeContext, 'scripts/tools.sh'],
      readFile: {
        ...makeFiles,
        'scripts/tools.sh':
          '#!/bin/bash\nUSERNAME=$1\nsudo -u ${USERNAME} --preserve-env=GOPATH \\\n    go install example.com/tool@v1.2.3\nsu "$USERNAME" -c "go install example.com/other@v1.0.0"\n',
      },
    },
    {
      name: 'the default goal (the first target) runs no go',
      code: makeStage('RUN make'),
      context: makeContext,
      readFile: makeFiles,
    },
    {
      name: 'a vendored module (Go 1.14+ and vendor/modules.txt): only the build cache',
      code: makeStage(`RUN ${buildCacheOnly} go build -o /out/app .`),
      context: vendored,
      readFile: { 'go.mod': goMod122 },
    },
    {
      name: 'a Makefile that passes -mod=vendor through a variable: only the build cache',
      code: makeStage(`RUN ${buildCacheOnly} make vendor-build`),
      context: [...makeContext, 'go.work'],
      readFile: makeFiles,
    },
    {
      name: 'a make target that only cleans compiles nothing: no build cache for it',
      code: makeStage(`RUN ${moduleCacheOnly} make clean`),
      context: makeContext,
      readFile: makeFiles,
    },
    {
      name: "a Makefile's go build -a rebuilds everything: a build cache mount cannot help",
      code: makeStage(`RUN ${moduleCacheOnly} make rebuild-all`),
      context: makeContext,
      readFile: makeFiles,
    },
    {
      name: 'a vendored module built by make: only the build cache',
      code: makeStage(`RUN ${buildCacheOnly} make build`),
      context: vendored,
      readFile: { 'go.mod': goMod122, Makefile: makefile },
    },
  ],
  invalid: [
    {
      name: 'make targets that run go through a prerequisite, $(MAKE), a script, or one unread',
      code: makeStage(
        `RUN ${both} true`,
        'RUN make build',
        'RUN make release',
        'RUN make script',
        'RUN make missing-script',
        'RUN make undefined-target',
      ),
      context: makeContext,
      readFile: { ...makeFiles, Makefile: makefile + '\ninclude extra.mk\n' },
      findings: [
        { messageId: 'noCacheMount', line: 6, data: { command: 'make' } },
        { messageId: 'noCacheMount', line: 7, data: { command: 'make' } },
        { messageId: 'noCacheMount', line: 8, data: { command: 'make' } },
        { messageId: 'noCacheMount', line: 9, data: { command: 'make' } },
        { messageId: 'noCacheMount', line: 10, data: { command: 'make' } },
      ],
    },
    {
      name: 'a shell script run by its path without a .sh name (./bin/install-deps) that runs go',
      code: makeStage(
        'RUN ./bin/install-deps amd64',
        'RUN ./bin/render-docs',
        'RUN /src/bin/tool',
        'RUN ./bin/compiled',
      ),
      context: [...makeContext, 'bin/install-deps', 'bin/render-docs', 'bin/tool', 'bin/compiled'],
      readFile: {
        ...makeFiles,
        'bin/install-deps':
          '#!/usr/bin/env sh\nset -eu\nCGO_ENABLED=0 GOARCH=${1:-amd64} go install -mod=readonly \\\n  github.com/sirupsen/logrus\n',
        // A script of another language, and a shell script without go: not builds.
        'bin/render-docs': '#!/usr/bin/python3\nimport os\nos.system("go build ./...")\n',
        'bin/tool': '#!/bin/bash\nset -e\nprotoc --version\n',
        'bin/compiled': '\x7fELF go build',
      },
      findings: [{ messageId: 'noCacheMount', line: 5, data: { command: './bin/install-deps' } }],
    },
    {
      name: 'the default goal set by .DEFAULT_GOAL builds Go',
      code: makeStage('RUN make'),
      context: makeContext,
      readFile: { ...makeFiles, Makefile: '.DEFAULT_GOAL := build\n' + makefile },
      findings: [{ messageId: 'noCacheMount', line: 5 }],
    },
    {
      name: 'a make target whose script only downloads: the module cache',
      code: makeStage('RUN make script'),
      context: makeContext,
      readFile: { ...makeFiles, 'scripts/build.sh': '#!/bin/sh\nset -e\ngo mod download\n' },
      findings: [
        { messageId: 'noCacheMount', line: 5, data: { effects: 'downloads every module' } },
      ],
    },
    {
      name: 'a target-specific variable is not a prerequisite: a go target named in one still builds',
      code: makeStage('RUN make build-site'),
      context: makeContext,
      readFile: {
        ...makeFiles,
        Makefile: makefile + '\nbuild-site: OUT = build\nbuild-site: build\n',
      },
      findings: [{ messageId: 'noCacheMount', line: 5 }],
    },
    {
      name: 'a make target that only runs go mod: the module cache, and a build after it the build cache',
      code: makeStage('RUN make verify', 'RUN make build'),
      context: makeContext,
      readFile: makeFiles,
      findings: [
        {
          messageId: 'noCacheMount',
          line: 5,
          data: { command: 'make', effects: 'downloads every module' },
          message: /module cache mount to the RUN on line 6 that reads the modules/,
        },
        {
          messageId: 'noCacheMount',
          line: 6,
          data: { command: 'make', effects: 'recompiles every package' },
        },
      ],
      output: makeStage(`RUN ${moduleCacheOnly} make verify`, `RUN ${both} make build`),
    },
    {
      name: 'a vendored module: a go build needs only the build cache',
      code: makeStage('RUN go build -o /out/app .', 'RUN make build'),
      context: vendored,
      readFile: { 'go.mod': goMod122, Makefile: makefile },
      findings: [
        { messageId: 'noCacheMount', line: 5, data: { effects: 'recompiles every package' } },
        { messageId: 'noCacheMount', line: 6, data: { effects: 'recompiles every package' } },
      ],
      output: makeStage(
        `RUN ${buildCacheOnly} go build -o /out/app .`,
        `RUN ${buildCacheOnly} make build`,
      ),
    },
    {
      name: 'vendor/ unused: go 1.13, -mod=mod (flag, GOFLAGS, Makefile), go install at a version',
      code: makeStage(
        'RUN go install example.com/tool@v1.0.0',
        'RUN go build -mod=mod -o /out/app .',
        'RUN GOFLAGS=-mod=mod go build -o /out/app .',
        'RUN make mod-build',
      ),
      context: vendored,
      readFile: { 'go.mod': goMod122, Makefile: makefile },
      findings: [5, 6, 7, 8].map((line) => ({
        messageId: 'noCacheMount' as const,
        line,
        data: { effects: 'downloads every module and recompiles every package' },
      })),
    },
    {
      name: 'vendor/ unused by a module whose go line is older than 1.14',
      code: makeStage('RUN go build -o /out/app .'),
      context: vendored,
      readFile: { 'go.mod': goMod122.replace('go 1.22', 'go 1.13') },
      findings: [
        {
          messageId: 'noCacheMount',
          line: 5,
          data: { effects: 'downloads every module and recompiles every package' },
        },
      ],
    },
    {
      name: 'vendor/ not in the stage: left out by .dockerignore, or not copied',
      code: lines(
        syntax,
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
        'FROM golang:1.24 AS other',
        'WORKDIR /src',
        'COPY go.mod go.sum main.go ./',
        'RUN go build -o /out/app .',
      ),
      context: vendored,
      readFile: { 'go.mod': goMod122 },
      dockerignore: 'vendor\n',
      findings: [5, 9].map((line) => ({
        messageId: 'noCacheMount' as const,
        line,
        data: { effects: 'downloads every module and recompiles every package' },
      })),
    },
    {
      name: 'a workspace above the module: its vendor/ is not used',
      code: lines(
        syntax,
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.work .',
        'COPY app/ app/',
        'WORKDIR /src/app',
        'RUN go build -o /out/app .',
      ),
      context: ['go.work', 'app/go.mod', 'app/main.go', 'app/vendor/modules.txt'],
      readFile: { 'app/go.mod': goMod122 },
      findings: [
        {
          messageId: 'noCacheMount',
          line: 7,
          data: { effects: 'downloads every module and recompiles every package' },
        },
      ],
    },
    {
      name: 'go test of some packages, or outside the module root, leaves not every module',
      code: makeStage(
        'RUN go test ./internal/...',
        'RUN cd cmd && go test ./...',
        `RUN ${buildCacheOnly} go build -o /out/app .`,
      ),
      context: makeContext,
      findings: [
        { messageId: 'noOneCacheMount', line: 7, data: { effects: 'downloads every module' } },
      ],
    },
    {
      name: 'go test ./... at the module root: the build after it needs only the build cache',
      code: makeStage('RUN go test ./...', 'RUN go build -o /out/app .'),
      findings: [
        {
          messageId: 'noCacheMount',
          line: 6,
          data: { command: 'go build', effects: 'recompiles every package' },
        },
      ],
      output: makeStage('RUN go test ./...', `RUN ${buildCacheOnly} go build -o /out/app .`),
    },
  ],
});

test('a Dockerfile whose only Go is a toolchain copied from the golang image is checked', () => {
  const text = lines(
    'FROM alpine:3.22 AS build',
    'COPY --from=golang:1.25-alpine /usr/local/go/ /usr/local/go/',
    'WORKDIR /src',
    'COPY . .',
    'RUN make',
  );
  const rules = analyze(text).map((d) => d.rule);
  assert.ok(rules.includes('go-build-without-cache-mount'), rules.join(', '));
  // The same file without the toolchain builds no Go: nothing to say.
  assert.deepEqual(
    analyze(text.replace('COPY --from=golang:1.25-alpine /usr/local/go/ /usr/local/go/\n', '')),
    [],
  );
});

// A `make` that builds a C library (CMake, ./configure, an unpacked archive), or that runs
// before any Go project is in the stage, is not a Go build; one after them still is.
const libgit2 =
  'RUN mkdir -p /tmp/l && cd /tmp/l && wget -qO- https://example.com/libgit2-1.3.2.tar.gz | tar -xz && \\';

ruleTester(goBuildWithoutCacheMount, {
  valid: [
    {
      name: 'make after cmake in the same RUN, before anything is copied',
      code: lines(
        'FROM golang:1.26-bookworm AS build',
        'RUN apt-get update && apt-get install -y cmake',
        libgit2,
        '    cd libgit2-1.3.2 && mkdir build && cd build && cmake .. && make -j install',
      ),
    },
    {
      name: 'make in a folder below a direct Go build: another part (a C shim) of the project',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.26-alpine AS build',
        'RUN apk add --no-cache git gcc musl-dev make',
        'RUN git clone https://example.com/pam.git /src',
        'WORKDIR /src',
        'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /pam ./cmd/pam',
        'RUN make -C shim',
        'RUN cd web && make',
      ),
    },
    {
      name: 'make clean with a Makefile not read (a cloned project): it builds nothing',
      code: lines(
        'FROM golang:1.26-alpine AS build',
        'RUN apk add --no-cache make git',
        'WORKDIR /src',
        'COPY . .',
        'RUN git clone https://example.com/plugin.git /plugin',
        'WORKDIR /plugin',
        'RUN make clean',
        'RUN make distclean mostlyclean',
      ),
    },
    {
      name: 'make after cmake, with the sources copied before',
      code: lines(
        'FROM golang:1.26-bookworm AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN cd third_party/lib && cmake . && make install',
      ),
    },
    {
      name: 'make after ./configure, and make inside an unpacked archive',
      code: lines(
        'FROM golang:1.26-bookworm AS build',
        'COPY . /src',
        'RUN cd /tmp && tar xzf /src/zlib.tar.gz && cd zlib-1.3 && make install',
        'RUN cd /tmp/pcre && ./configure --prefix=/usr && make && make install',
      ),
    },
    {
      name: 'make in the tree of another project cloned with git (a C++ library)',
      code: lines(
        'FROM golang:1.26 AS builder',
        'COPY . /src',
        'RUN cd /tmp && git clone https://github.com/facebook/rocksdb.git /tmp/rocksdb --depth 1 --single-branch --branch v10 && \\',
        '    cd rocksdb && PORTABLE=1 make -j"$(nproc)" static_lib && make install-static',
        'RUN git clone https://example.com/zstd.git /opt/zstd && cd /opt/zstd && make',
      ),
      goMod: 'module example.com/db\n\ngo 1.26\n',
    },
    {
      name: 'make in the tree of another project cloned by an earlier RUN (make -C, or cd)',
      code: lines(
        'FROM golang:1.26 AS builder',
        'WORKDIR /root',
        'RUN git clone --depth 1 --branch 3.6.2 https://github.com/sass/sassc.git',
        'RUN . sassc/script/bootstrap && make -C sassc -j4',
        'RUN cd sassc && make install',
        'WORKDIR /src',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \\',
        '    go build -o /out/app .',
      ),
      goMod: 'module example.com/db\n\ngo 1.26\n',
    },
    {
      name: 'make before any go.mod or Go source is in the stage',
      code: lines(
        'FROM golang:1.26-alpine AS build',
        'RUN apk add --no-cache make',
        'RUN make -C /usr/share/tools',
        'FROM build AS next',
        'RUN make',
      ),
    },
  ],
  invalid: [
    {
      name: 'make in the folder of the direct Go build, or above it: still a Go build',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.26-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build cd cmd/app && go build -o /app .',
        'RUN make',
      ),
      findings: [{ messageId: 'noCacheMount', line: 6 }],
    },
    {
      name: 'make clean then a build goal, with a Makefile not read: a Go build',
      code: lines(
        'FROM golang:1.26-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN make clean all',
        'RUN make clean && make',
      ),
      findings: [
        { messageId: 'noCacheMount', line: 4, data: { command: 'make' } },
        { messageId: 'noCacheMount', line: 5, data: { command: 'make' } },
      ],
    },
    {
      name: 'make back in the project after a cmake step: a Go build',
      code: lines(
        'FROM golang:1.26-bookworm AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN cd /tmp/lib && cmake . && make install && cd /src && make build',
      ),
      findings: [{ messageId: 'noCacheMount', line: 4, data: { command: 'make' } }],
    },
    {
      name: 'make in a clone into a GOPATH tree, or run with Go settings: Go builds',
      code: lines(
        'FROM golang:1.26-bookworm AS build',
        'RUN git clone https://github.com/containerd/imgcrypt.git /go/src/github.com/containerd/imgcrypt && \\',
        '  cd /go/src/github.com/containerd/imgcrypt && make',
        'RUN git clone https://example.com/tool.git /opt/tool && cd /opt/tool && CGO_ENABLED=0 make',
        'RUN git clone https://example.com/runc /runc && cd /runc && export GOARCH=arm64 && make runc',
      ),
      // At the make, on the continuation line.
      findings: [
        { messageId: 'noCacheMount', line: 3, data: { command: 'make' } },
        { messageId: 'noCacheMount', line: 4, data: { command: 'make' } },
        { messageId: 'noCacheMount', line: 5, data: { command: 'make' } },
      ],
    },
    {
      name: 'make in a clone of the project’s own module, or in a stage built on one that copied',
      code: lines(
        'FROM golang:1.26-bookworm AS build',
        'RUN git clone --depth 1 https://example.com/tool.git && cd tool && make install',
        'COPY . /src',
        'FROM build AS next',
        'RUN make -C /src',
      ),
      goMod: 'module example.com/tool\n\ngo 1.26\n',
      findings: [
        { messageId: 'noCacheMount', line: 2, data: { command: 'make' } },
        { messageId: 'noCacheMount', line: 5, data: { command: 'make' } },
      ],
    },
    {
      name: 'a bind mount brings the project in',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.26-bookworm AS build',
        'WORKDIR /src',
        'RUN --mount=type=bind,target=. make build',
      ),
      findings: [{ messageId: 'noCacheMount', line: 4, data: { command: 'make' } }],
    },
    {
      name: 'a RUN with the build cache mounted lacks only the module cache: the message says so',
      code: makeStage(
        `RUN ${buildCacheOnly} make build`,
        `RUN ${buildCacheOnly} go build -o /app .`,
      ),
      findings: [
        {
          messageId: 'noOneCacheMount',
          line: 5,
          message:
            /^`make` has no module cache mount: each rebuild downloads every module again\.$/,
        },
        {
          messageId: 'noOneCacheMount',
          line: 6,
          message:
            /^`go build` has no module cache mount: each rebuild downloads every module again\.$/,
        },
      ],
    },
    {
      name: 'a RUN with the module cache mounted lacks only the build cache',
      code: makeStage(`RUN ${moduleCacheOnly} go build -o /app .`),
      findings: [
        {
          messageId: 'noOneCacheMount',
          line: 5,
          data: { cache: 'build cache', effects: 'recompiles every package' },
        },
      ],
    },
    {
      name: 'a make target documented with a comment on its rule line only downloads',
      code: makeStage('RUN make deps'),
      context: makeContext,
      readFile: {
        ...makeFiles,
        Makefile: 'deps: ## Install dependencies.\n\t@go mod download\n\t@go mod verify\n',
      },
      findings: [
        {
          messageId: 'noCacheMount',
          line: 5,
          message: /^`make` has no cache mount: each rebuild downloads every module again\.$/,
        },
      ],
    },
  ],
});

test('a Dockerfile the project builds only with the classic builder asks for no cache mount', () => {
  const code = lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /app .');
  const build = (classic: boolean) => ({
    source: { kind: 'makefile', file: 'Makefile', line: 1, label: 'target image' },
    output: 'image' as const,
    ...(classic ? { classic: true } : {}),
  });
  assert.equal(runRule(goBuildWithoutCacheMount, code, { builds: [build(true)] }).length, 0);
  // One BuildKit build among them: the hint is for that one.
  assert.equal(
    runRule(goBuildWithoutCacheMount, code, { builds: [build(true), build(false)] }).length,
    1,
  );
  assert.equal(runRule(goBuildWithoutCacheMount, code).length, 1);
});

test('a toolbox image (ships, starts nothing, compiles nothing) keeps what it downloads', () => {
  const tester = lines(
    'FROM golang:1.24-alpine',
    'WORKDIR /src',
    'COPY . .',
    'RUN go mod download',
  );
  assert.equal(runRule(goBuildWithoutCacheMount, tester).length, 0);
  // Built on by the shipped toolbox stage: the same.
  const chained = lines(
    'FROM golang:1.24-alpine AS deps',
    'WORKDIR /src',
    'COPY go.mod go.sum ./',
    'RUN go mod download',
    'FROM deps AS tester',
    'COPY . .',
  );
  assert.equal(runRule(goBuildWithoutCacheMount, chained).length, 0);
  // An image that compiles its program, or starts one, is no toolbox.
  assert.ok(runRule(goBuildWithoutCacheMount, `${tester}RUN go build -o /app .\n`).length > 0);
  assert.equal(runRule(goBuildWithoutCacheMount, `${tester}CMD ["/bin/sh"]\n`).length, 1);
});
