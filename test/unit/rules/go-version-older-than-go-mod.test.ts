import assert from 'node:assert/strict';
import { test } from 'node:test';
import { supportedGoLines } from '../../../server/src/core/data/go-releases';
import { goVersionOlderThanGoMod } from '../../../server/src/core/rules/go-version-older-than-go-mod';
import { applyEdits } from '../../../server/src/core/text/edits';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

const goMod = (go: string, ...extra: string[]) =>
  lines('module example.com/app', '', `go ${go}`, ...extra);
// A go line out of support is pinned to the oldest supported release (by the shipped data).
const oldest = supportedGoLines().at(-1)!.minor;
const build = ['WORKDIR /src', 'COPY . .', 'RUN CGO_ENABLED=0 go build -o /out/app .'];
const runtime = ['FROM scratch', 'COPY --from=build /out/app /app', 'ENTRYPOINT ["/app"]'];
/** A build of the module in tools/gen (its own go.mod), then the runtime. */
const genBuild = ['WORKDIR /app', 'COPY tools/gen/ .', 'RUN go build -o /out/app .', ...runtime];

ruleTester(goVersionOlderThanGoMod, {
  valid: [
    {
      name: 'the stage builds a module of its own in a subfolder, whose go line the image meets',
      code: lines('FROM golang:1.22 AS build', ...genBuild),
      goMod: goMod('1.27.1'),
      files: {
        'go.mod': goMod('1.27.1'),
        'tools/gen/go.mod': lines('module example.com/gen', '', 'go 1.17'),
        'tools/gen/main.go': 'package main\n\nfunc main() {}\n',
      },
    },
    {
      name: 'no go.mod known',
      code: lines('FROM golang:1.20 AS build', ...build, ...runtime),
    },
    {
      name: 'a minor-only tag is the newest patch, which satisfies any patch of that minor',
      code: lines('FROM golang:1.22-alpine AS build', ...build, ...runtime),
      goMod: goMod('1.22.5'),
    },
    {
      name: 'golang:1 is the newest Go 1.x',
      code: lines('FROM golang:1-alpine AS build', ...build, ...runtime),
      goMod: goMod('1.27.1'),
    },
    {
      name: 'the toolchain line is a preference, not a requirement',
      code: lines('FROM golang:1.22 AS build', ...build, ...runtime),
      goMod: goMod('1.22.0', '', 'toolchain go1.23.4'),
    },
    {
      name: 'a go 1.22 line is satisfied by 1.22.0',
      code: lines('FROM golang:1.22.0 AS build', ...build, ...runtime),
      goMod: goMod('1.22'),
    },
    {
      name: 'a go 1.22 line (a language version) is satisfied by 1.22rc1, as the go command orders them',
      code: lines('FROM golang:1.22rc1 AS build', ...build, ...runtime),
      goMod: goMod('1.22'),
    },
    {
      name: 'an ARG without a default is set at build time',
      code: lines(
        'ARG GO_VERSION',
        'FROM golang:${GO_VERSION}-alpine AS build',
        ...build,
        ...runtime,
      ),
      goMod: goMod('1.27.1'),
    },
    {
      name: 'GOTOOLCHAIN=auto lets the go command fetch the required Go',
      code: lines('FROM golang:1.22 AS build', 'ENV GOTOOLCHAIN=auto', ...build, ...runtime),
      goMod: goMod('1.27.1'),
    },
    {
      name: 'a stage that only installs a tool at a version never loads the module',
      code: lines(
        'FROM golang:1.20 AS tools',
        'RUN go install github.com/go-delve/delve/cmd/dlv@v1.20.0',
        'FROM golang:1.27 AS build',
        ...build,
        'FROM scratch',
        'COPY --from=tools /go/bin/dlv /dlv',
        'COPY --from=build /out/app /app',
      ),
      goMod: goMod('1.27.1'),
    },
    {
      name: 'a bind mount from another stage, or of a subdirectory, does not bring the module',
      code: lines(
        'FROM golang:1.20 AS tools',
        'RUN --mount=type=bind,from=assets,target=/assets --mount=type=bind,source=docs,target=/docs make docs',
        'FROM golang:1.27 AS build',
        ...build,
        ...runtime,
      ),
      goMod: goMod('1.27.1'),
    },
    {
      name: 'an image that is not the official golang image',
      code: lines('FROM ghcr.io/acme/golang:1.20 AS build', ...build, ...runtime),
      goMod: goMod('1.27.1'),
    },
    {
      name: 'a Dockerfile that builds no Go',
      code: lines('FROM node:22', 'COPY . .', 'RUN npm ci', 'CMD ["node", "index.js"]'),
      goMod: goMod('1.27.1'),
    },
    {
      name: "a toolchain copied out of the image leaves its GOTOOLCHAIN=local behind: go.env's auto fetches the required Go",
      code: lines(
        'FROM alpine:3.22 AS build',
        'COPY --from=golang:1.22-alpine /usr/local/go/ /usr/local/go/',
        'ENV PATH="/usr/local/go/bin:${PATH}"',
        ...build,
        ...runtime,
      ),
      goMod: goMod('1.27.1'),
    },
    {
      name: 'a golang stage whose toolchain another stage copies, without GOTOOLCHAIN=local there',
      code: lines(
        'FROM golang:1.22 AS go',
        'FROM debian:12-slim AS build',
        'COPY --from=go /usr/local/go /usr/local/go',
        ...build,
        ...runtime,
      ),
      goMod: goMod('1.27.1'),
    },
  ],
  invalid: [
    {
      name: 'the go line that counts is that of the module the stage copies and builds',
      code: lines('FROM golang:1.22 AS build', ...genBuild),
      goMod: goMod('1.22.0'),
      files: {
        'go.mod': goMod('1.22.0'),
        'tools/gen/go.mod': lines('module example.com/gen', '', `go ${oldest}.0`),
        'tools/gen/main.go': 'package main\n\nfunc main() {}\n',
      },
      findings: [
        {
          messageId: 'olderThanGoMod',
          line: 1,
          data: { required: `${oldest}.0`, goMod: 'tools/gen/go.mod' },
          message: /the `go [\d.]+` line of tools\/gen\/go\.mod \(line 3\)/,
        },
      ],
      output: lines(`FROM golang:${oldest} AS build`, ...genBuild),
    },
    {
      name: 'a toolchain copied from the image with GOTOOLCHAIN=local: the fix edits the --from value',
      code: lines(
        'FROM alpine:3.22 AS build',
        'COPY --from=golang:1.22-alpine /usr/local/go/ /usr/local/go/',
        'ENV PATH="/usr/local/go/bin:${PATH}" GOTOOLCHAIN=local',
        ...build,
        ...runtime,
      ),
      goMod: goMod('1.27.1'),
      findings: [
        {
          messageId: 'olderThanGoMod',
          line: 2,
          column: 13,
          data: { image: 'golang:1.22-alpine', version: '1.22', required: '1.27.1' },
          message:
            /^golang:1\.22-alpine, whose toolchain the COPY brings in, has Go 1\.22 .*GOTOOLCHAIN=local keeps the go command from fetching a newer Go, .*Use golang:1\.27-alpine\.$/,
        },
      ],
      output: lines(
        'FROM alpine:3.22 AS build',
        'COPY --from=golang:1.27-alpine /usr/local/go/ /usr/local/go/',
        'ENV PATH="/usr/local/go/bin:${PATH}" GOTOOLCHAIN=local',
        ...build,
        ...runtime,
      ),
    },
    {
      name: 'a Go before 1.21 copied in: it has no toolchain switching at all',
      code: lines(
        'FROM alpine:3.22 AS build',
        'COPY --from=golang:1.20 /usr/local/go /usr/local/go',
        ...build,
        ...runtime,
      ),
      goMod: goMod('1.22'),
      findings: [{ messageId: 'olderThanGoMod', line: 2, column: 13, severity: 'warning' }],
      output: lines(
        'FROM alpine:3.22 AS build',
        `COPY --from=golang:${oldest} /usr/local/go /usr/local/go`,
        ...build,
        ...runtime,
      ),
    },
    {
      name: 'a toolchain copied from a golang stage: the finding and the fix are on that FROM',
      code: lines(
        'FROM golang:1.22 AS go',
        'FROM debian:12-slim AS build',
        'COPY --from=go /usr/local/go /usr/local/go',
        'ENV GOTOOLCHAIN=local',
        ...build,
        ...runtime,
      ),
      goMod: goMod('1.27.1'),
      findings: [{ messageId: 'olderThanGoMod', line: 1, column: 6 }],
      output: lines(
        'FROM golang:1.27 AS go',
        'FROM debian:12-slim AS build',
        'COPY --from=go /usr/local/go /usr/local/go',
        'ENV GOTOOLCHAIN=local',
        ...build,
        ...runtime,
      ),
    },
    {
      name: 'an ARG default that also names the image of a COPY --from: no automatic fix',
      code: lines(
        'ARG GO_VERSION=1.22',
        'FROM golang:${GO_VERSION} AS build',
        ...build,
        'FROM alpine:3.22',
        'ARG GO_VERSION',
        'COPY --from=ghcr.io/acme/tools:${GO_VERSION} /bin/tool /bin/tool',
        'COPY --from=build /out/app /app',
      ),
      goMod: goMod('1.27.1'),
      findings: [
        {
          messageId: 'olderThanGoMod',
          line: 2,
          message:
            /\(ARG GO_VERSION also names the image of a COPY --from \(line 8\), so change it by hand\)\.$/,
        },
      ],
      output: null,
    },
    {
      name: 'a --from image spelled with a variable: reported, no automatic fix',
      code: lines(
        'FROM alpine:3.22 AS build',
        'ARG GO=1.22',
        'COPY --from=golang:${GO} /usr/local/go /usr/local/go',
        'ENV GOTOOLCHAIN=local',
        ...build,
        ...runtime,
      ),
      goMod: goMod('1.27.1'),
      findings: [
        {
          messageId: 'olderThanGoMod',
          line: 3,
          message:
            /Use golang:1\.27 \(that part of the image name is not written in one place, so change it by hand\)\.$/,
        },
      ],
      output: null,
    },
    {
      name: 'a literal tag, keeping the variant',
      code: lines('FROM golang:1.22-alpine3.20 AS build', ...build, ...runtime),
      goMod: goMod('1.27.1'),
      findings: [
        {
          messageId: 'olderThanGoMod',
          line: 1,
          column: 6,
          message:
            /^golang:1\.22-alpine3\.20 has Go 1\.22 \(its newest 1\.22 patch\), older than the `go 1\.27\.1` line of go\.mod \(line 3\) requires: .*GOTOOLCHAIN=local.*"go: go\.mod requires go >= 1\.27\.1 \(running go 1\.22\.x; GOTOOLCHAIN=local\)"\. Use golang:1\.27-alpine3\.20\.$/,
        },
      ],
      output: lines('FROM golang:1.27-alpine3.20 AS build', ...build, ...runtime),
    },
    {
      name: 'global ARG defaults feeding the tag, after a --platform flag with a variable',
      code: lines(
        'ARG GO_VERSION=1.22',
        'ARG ALPINE=3.20',
        'FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine${ALPINE} AS build',
        ...build,
        ...runtime,
      ),
      goMod: goMod('1.27.1'),
      findings: [
        {
          messageId: 'olderThanGoMod',
          line: 3,
          column: 32,
          message:
            /^golang:1\.22-alpine3\.20 has Go 1\.22 .*Set the default of ARG GO_VERSION \(line 1\) to 1\.27\.$/,
        },
      ],
      output: lines(
        'ARG GO_VERSION=1.27',
        'ARG ALPINE=3.20',
        'FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine${ALPINE} AS build',
        ...build,
        ...runtime,
      ),
    },
    {
      name: 'a quoted ARG default',
      code: lines(
        'ARG GO_VERSION="1.22"',
        'FROM golang:$GO_VERSION AS build',
        ...build,
        ...runtime,
      ),
      goMod: goMod('1.27.0'),
      findings: [{ messageId: 'olderThanGoMod', line: 2, column: 6 }],
      output: lines(
        'ARG GO_VERSION="1.27"',
        'FROM golang:$GO_VERSION AS build',
        ...build,
        ...runtime,
      ),
    },
    {
      name: 'the whole image in an ARG default',
      code: lines(
        'ARG BASE_IMAGE=golang:1.26',
        'FROM ${BASE_IMAGE} AS build',
        ...build,
        ...runtime,
      ),
      goMod: goMod('1.27.0'),
      findings: [
        {
          messageId: 'olderThanGoMod',
          line: 2,
          column: 6,
          message:
            /Change the default of ARG BASE_IMAGE \(line 1\) so that the image is golang:1\.27\.$/,
        },
      ],
      output: lines(
        'ARG BASE_IMAGE=golang:1.27',
        'FROM ${BASE_IMAGE} AS build',
        ...build,
        ...runtime,
      ),
    },
    {
      name: 'reported once on the golang FROM, not on the stages built on it',
      code: lines(
        'FROM golang:1.22 AS base',
        'WORKDIR /src',
        'FROM base AS build',
        'COPY . .',
        'RUN go build -o /out/app .',
        'FROM build AS test',
        'RUN go test ./...',
        ...runtime,
      ),
      goMod: goMod('1.26'),
      findings: [{ messageId: 'olderThanGoMod', line: 1, column: 6 }],
      output: lines(
        'FROM golang:1.26 AS base',
        'WORKDIR /src',
        'FROM base AS build',
        'COPY . .',
        'RUN go build -o /out/app .',
        'FROM build AS test',
        'RUN go test ./...',
        ...runtime,
      ),
    },
    {
      name: 'an inline default in the FROM line',
      code: lines('FROM golang:${GO_VERSION:-1.22}-alpine AS build', ...build, ...runtime),
      goMod: goMod('1.26'),
      findings: [
        { messageId: 'olderThanGoMod', line: 1, message: /^golang:1\.22-alpine has Go 1\.22/ },
      ],
      output: lines('FROM golang:${GO_VERSION:-1.26}-alpine AS build', ...build, ...runtime),
    },
    {
      name: 'a beta is older than a release candidate',
      code: lines('FROM golang:1.23beta1 AS build', ...build, ...runtime),
      goMod: goMod('1.23rc1'),
      findings: [
        {
          messageId: 'olderThanGoMod',
          line: 1,
          message: /has Go 1\.23beta1, older than the `go 1\.23rc1` line/,
        },
      ],
      output: lines(`FROM golang:${oldest} AS build`, ...build, ...runtime),
    },
    {
      name: 'a patch tag older than the go line of the same minor',
      code: lines('FROM golang:1.22.3-bookworm AS build', ...build, ...runtime),
      goMod: goMod('1.22.5'),
      findings: [{ messageId: 'olderThanGoMod', line: 1, message: /has Go 1\.22\.3, older than/ }],
      output: lines(`FROM golang:${oldest}-bookworm AS build`, ...build, ...runtime),
    },
    {
      name: 'a release candidate is older than the release',
      code: lines('FROM golang:1.27rc2 AS build', ...build, ...runtime),
      goMod: goMod('1.27.0'),
      findings: [{ messageId: 'olderThanGoMod', line: 1, message: /has Go 1\.27rc2, older/ }],
      output: lines('FROM golang:1.27 AS build', ...build, ...runtime),
    },
    {
      name: 'a digest-pinned image: no automatic fix',
      code: lines('FROM golang:1.22-alpine@sha256:0123456789abcdef AS build', ...build, ...runtime),
      goMod: goMod('1.26.0'),
      findings: [
        {
          messageId: 'olderThanGoMod',
          line: 1,
          message:
            /Use golang:1\.26-alpine \(the image is pinned by digest, and a new tag needs its own digest, so change it by hand\)\.$/,
        },
      ],
      output: null,
    },
    {
      name: 'registry-prefixed golang images',
      code: lines(
        'FROM docker.io/library/golang:1.22 AS build',
        ...build,
        'FROM mirror.gcr.io/golang:1.21-bookworm AS tools',
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'COPY --from=tools /out/app /app2',
      ),
      goMod: goMod('1.26'),
      findings: [
        {
          messageId: 'olderThanGoMod',
          line: 1,
          column: 6,
          message: /Use docker\.io\/library\/golang:1\.26\.$/,
        },
        {
          messageId: 'olderThanGoMod',
          line: 5,
          column: 6,
          message: /Use mirror\.gcr\.io\/golang:1\.26-bookworm\.$/,
        },
      ],
      output: lines(
        'FROM docker.io/library/golang:1.26 AS build',
        ...build,
        'FROM mirror.gcr.io/golang:1.26-bookworm AS tools',
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'COPY --from=tools /out/app /app2',
      ),
    },
    {
      name: 'a registry prefix from an ARG, the version in the FROM line',
      code: lines(
        'ARG BASE_PREFIX=mirror.gcr.io/library/',
        'FROM ${BASE_PREFIX}golang:1.21 as builder',
        ...build,
      ),
      goMod: goMod('1.22'),
      findings: [
        {
          messageId: 'olderThanGoMod',
          line: 2,
          column: 6,
          message: /mirror\.gcr\.io\/library\/golang:1\.21 has Go 1\.21/,
        },
      ],
      output: lines(
        'ARG BASE_PREFIX=mirror.gcr.io/library/',
        `FROM \${BASE_PREFIX}golang:${oldest} as builder`,
        ...build,
      ),
    },
    {
      name: 'an image before Go 1.21 and a go line it can read: a warning',
      code: lines('from golang:1.20 as build', ...build, ...runtime),
      goMod: goMod('1.21'),
      findings: [
        {
          messageId: 'olderThanGoMod',
          line: 1,
          severity: 'warning',
          message: /Go before 1\.21 does not enforce the go line.*"note: module requires Go 1\.21"/,
        },
      ],
      output: lines(`from golang:${oldest} as build`, ...build, ...runtime),
    },
    {
      name: 'a go line out of support: the oldest supported Go, on a current variant by hand',
      code: lines('FROM golang:1.20-alpine3.18 AS build', ...build, ...runtime),
      goMod: goMod('1.22'),
      findings: [
        {
          messageId: 'olderThanGoMod',
          line: 1,
          severity: 'warning',
          message: new RegExp(
            `Use golang:${oldest.replace('.', '\\.')}-alpine, the oldest supported Go \\(go\\.mod's 1\\.22 is out of support, release data of [-\\d]+\\), and Go ${oldest.replace('.', '\\.')} has no alpine3\\.18 image\\.$`,
          ),
        },
      ],
    },
    {
      name: 'a go line out of support: the fix pins the oldest supported Go',
      code: lines('FROM golang:1.20 AS build', ...build, ...runtime),
      goMod: goMod('1.22.1'),
      findings: [{ messageId: 'olderThanGoMod', line: 1, message: /the oldest supported Go/ }],
      fix: new RegExp(`^Use golang:${oldest.replace('.', '\\.')}$`),
      output: lines(`FROM golang:${oldest} AS build`, ...build, ...runtime),
    },
    {
      name: 'an image before Go 1.21 and a go line with a patch version',
      code: lines('FROM golang:1.20 AS build', ...build, ...runtime),
      goMod: goMod('1.21.0'),
      findings: [
        {
          messageId: 'olderThanGoMod',
          line: 1,
          severity: 'error',
          message:
            /cannot even read this go\.mod \("invalid go version '1\.21\.0': must match format 1\.23"\)/,
        },
      ],
    },
    {
      name: 'an image before Go 1.21 and a toolchain line',
      code: lines('FROM golang:1.19 AS build', ...build, ...runtime),
      goMod: goMod('1.20', '', 'toolchain go1.21.0'),
      findings: [
        {
          messageId: 'olderThanGoMod',
          line: 1,
          severity: 'error',
          message: /"unknown directive: toolchain"/,
        },
      ],
    },
    {
      name: 'an ARG that also names another image: no automatic fix',
      code: lines(
        'ARG VERSION=1.22',
        'FROM golang:${VERSION} AS build',
        ...build,
        'FROM registry.example.com/runtime:${VERSION}',
        'COPY --from=build /out/app /app',
      ),
      goMod: goMod('1.26'),
      findings: [
        {
          messageId: 'olderThanGoMod',
          line: 2,
          message:
            /Use golang:1\.26 \(ARG VERSION also names the image of another stage \(line 6\), so change it by hand\)\.$/,
        },
      ],
      output: null,
    },
    {
      name: 'go run as the ENTRYPOINT uses the module when the container starts',
      code: lines(
        'FROM docker.io/golang:1.22-alpine',
        'WORKDIR /src/app',
        'ENTRYPOINT ["go", "run", "main.go"]',
      ),
      goMod: goMod('1.27.1'),
      findings: [{ messageId: 'olderThanGoMod', line: 1 }],
      output: lines(
        'FROM docker.io/golang:1.27-alpine',
        'WORKDIR /src/app',
        'ENTRYPOINT ["go", "run", "main.go"]',
      ),
    },
    {
      name: 'a heredoc build over a bind mount',
      code: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.23 AS build',
        'WORKDIR /src',
        'RUN --mount=type=bind,target=. <<EOF',
        '  go mod download',
        '  CGO_ENABLED=0 go build -o /out/app .',
        'EOF',
        ...runtime,
      ),
      goMod: goMod('1.26.2'),
      findings: [{ messageId: 'olderThanGoMod', line: 2 }],
    },
    {
      name: 'a tool that loads the module through a bind mount of the context',
      code: lines(
        'FROM golangci/golangci-lint:v2.1.0-alpine AS golangci-lint',
        'FROM golang:1.23-alpine AS lint',
        'COPY --from=golangci-lint /usr/bin/golangci-lint /usr/bin/golangci-lint',
        'WORKDIR /src',
        'RUN --mount=type=bind,target=. golangci-lint run',
      ),
      goMod: goMod('1.26.0'),
      findings: [{ messageId: 'olderThanGoMod', line: 2 }],
    },
    {
      name: 'a bind mount of go.mod alone, written ./go.mod, with no type (bind)',
      code: lines(
        'FROM golangci/golangci-lint:v2.1.0-alpine AS golangci-lint',
        'FROM golang:1.23-alpine AS lint',
        'COPY --from=golangci-lint /usr/bin/golangci-lint /usr/bin/golangci-lint',
        'WORKDIR /src',
        'RUN --mount=source=./go.mod,target=go.mod golangci-lint version',
      ),
      goMod: goMod('1.26.0'),
      findings: [{ messageId: 'olderThanGoMod', line: 2 }],
    },
    {
      name: 'GOTOOLCHAIN=auto on one go command only: the other one still fails',
      code: lines(
        'FROM golang:1.22 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN GOTOOLCHAIN=auto go build -o /out/app .',
        ...runtime,
      ),
      goMod: goMod('1.26'),
      findings: [{ messageId: 'olderThanGoMod', line: 1 }],
    },
  ],
});

test('go-version-older-than-go-mod: two FROMs sharing an ARG are fixed by one edit', () => {
  const code = lines(
    'ARG GO_VERSION=1.22',
    'FROM golang:${GO_VERSION} AS build',
    ...build,
    'FROM golang:${GO_VERSION}-alpine AS test',
    'COPY . .',
    'RUN go test ./...',
    ...runtime,
  );
  const options = { goMod: goMod('1.26') };
  const found = runRule(goVersionOlderThanGoMod, code, options);
  assert.deepEqual(
    found.map((d) => d.range.start.line + 1),
    [2, 6],
  );
  assert.deepEqual(found[0].fixes[0].edits, found[1].fixes[0].edits);
  const fixed = applyEdits(code, found[0].fixes[0].edits);
  assert.match(fixed, /^ARG GO_VERSION=1\.26\n/);
  assert.deepEqual(runRule(goVersionOlderThanGoMod, fixed, options), []);
});
