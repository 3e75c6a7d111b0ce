import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GO_RELEASE_DATA, goReleaseLines } from '../../../server/src/core/data/go-releases';
import { golangImageOutdated } from '../../../server/src/core/rules/golang-image-outdated';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

// Versions from the shipped release data, so that the cases hold after it is refreshed: the
// newest line, the second (older) supported line, and an older patch of the second one.
const [newest, second] = goReleaseLines();
const oldPatch = `${second.minor}.0`;
const dataDate = GO_RELEASE_DATA.date.replace(/-/g, '\\-');

const build = ['WORKDIR /src', 'COPY . .', 'RUN CGO_ENABLED=0 go build -o /out/app .'];
const runtime = ['FROM scratch', 'COPY --from=build /out/app /app', 'ENTRYPOINT ["/app"]'];
const digest = '@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

ruleTester(golangImageOutdated, {
  valid: [
    {
      name: 'the newest release line, floating over its patches',
      code: lines(`FROM golang:${newest.minor}-alpine AS build`, ...build, ...runtime),
    },
    {
      name: 'the other supported line, as a minor tag or at its newest patch',
      code: lines(
        `FROM golang:${second.minor} AS build`,
        ...build,
        `FROM golang:${second.latest}-bookworm AS other`,
        'RUN go build -o /out/other ./cmd/other',
        ...runtime,
      ),
    },
    {
      name: 'tags that follow the newest release (golang-image-unpinned reports them)',
      code: lines(
        'FROM golang AS build',
        ...build,
        'FROM golang:latest AS b2',
        ...build,
        'FROM golang:1-alpine AS b3',
        ...build,
        ...runtime,
      ),
    },
    {
      name: 'a release newer than the data',
      code: lines(`FROM golang:1.${Number(newest.minor.split('.')[1]) + 2} AS build`, ...build),
    },
    {
      name: 'a stage that builds nothing: tests against an old Go',
      code: lines('FROM golang:1.18', 'WORKDIR /src', 'COPY . .', 'RUN go test ./...'),
    },
    {
      name: 'a development image that installs a tool for itself',
      code: lines(
        'FROM golang:1.20-bullseye',
        'RUN go install github.com/go-delve/delve/cmd/dlv@v1.20.0',
        'WORKDIR /src',
        'CMD ["dlv", "debug"]',
      ),
    },
    {
      name: 'make in a stage nothing copies from (a test runner)',
      code: lines('FROM golang:1.20', 'WORKDIR /src', 'COPY . .', 'CMD make test', 'RUN make deps'),
    },
    {
      name: 'GOTOOLCHAIN lets the go command download another toolchain',
      code: lines(
        'FROM golang:1.22-alpine AS build',
        'ENV GOTOOLCHAIN=auto',
        ...build,
        'FROM golang:1.22 AS b2',
        'ARG GOTOOLCHAIN',
        'RUN GOTOOLCHAIN=$GOTOOLCHAIN go build -o /out/b2 .',
        ...runtime,
      ),
    },
    {
      name: 'a digest under a floating tag of a supported line: the digest says which patch',
      code: lines(`FROM golang:${second.minor}${digest} AS build`, ...build, ...runtime),
    },
    {
      name: 'another image named golang, and an ARG without a default',
      code: lines(
        'ARG GO_VERSION',
        'FROM ghcr.io/acme/golang:1.18 AS build',
        ...build,
        'FROM golang:${GO_VERSION} AS b2',
        ...build,
        ...runtime,
      ),
    },
    {
      name: 'a tool installed for its own RUNs, in a stage others take only other files from',
      code: lines(
        'FROM golang:1.19-alpine AS verify',
        'RUN go install aead.dev/minisign/cmd/minisign@v0.2.1',
        'RUN wget -O /go/bin/app https://example.com/app && minisign -Vm /go/bin/app -P KEY',
        'FROM alpine:3.22',
        'COPY --from=verify /go/bin/app* /usr/bin/',
        'COPY --from=verify /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
        'ENTRYPOINT ["app"]',
      ),
    },
    {
      name: 'a tool lent to another stage through a RUN mount, which runs it and keeps nothing',
      code: lines(
        'FROM golang:1.19-alpine AS checker',
        'RUN GOBIN=/out go install github.com/vbatts/git-validation@v1.1.0',
        'FROM alpine:3.22 AS validate',
        'RUN --mount=from=checker,source=/out/git-validation,target=/usr/bin/git-validation \\',
        '    git-validation -q -run short-subject',
      ),
    },
  ],
  invalid: [
    {
      name: 'a tool copied out of a RUN mount into the image',
      code: lines(
        'FROM golang:1.19-alpine AS tools',
        'RUN GOBIN=/out go install github.com/vbatts/git-validation@v1.1.0',
        'FROM alpine:3.22',
        'RUN --mount=from=tools,source=/out,target=/t cp /t/git-validation /usr/local/bin/',
        'ENTRYPOINT ["git-validation"]',
      ),
      findings: [{ messageId: 'outOfSupport', line: 1 }],
      output: lines(
        `FROM golang:${newest.minor}-alpine AS tools`,
        'RUN GOBIN=/out go install github.com/vbatts/git-validation@v1.1.0',
        'FROM alpine:3.22',
        'RUN --mount=from=tools,source=/out,target=/t cp /t/git-validation /usr/local/bin/',
        'ENTRYPOINT ["git-validation"]',
      ),
    },
    {
      name: 'a GOPATH build (Go before 1.16, no go.mod in the context): no fix, the detail says why',
      code: lines(
        'FROM golang:1.12 AS build',
        'WORKDIR /go/src/github.com/acme/app',
        'COPY . .',
        'RUN go get -d -v ./...',
        'RUN CGO_ENABLED=0 go install -v ./...',
        ...runtime,
      ),
      context: ['main.go', 'handlers/api.go'],
      findings: [
        {
          messageId: 'outOfSupportGopath',
          line: 1,
          message:
            /has been out of support since .* in GOPATH mode, which Go 1\.16 and later use only with GO111MODULE=off: add a go\.mod first \(`go mod init`\), or set GO111MODULE=off, so no fix changes the tag alone\.$/,
        },
      ],
      output: null,
    },
    {
      name: 'the same build with a go.mod, or with GO111MODULE set: the tag fix',
      code: lines(
        'FROM golang:1.12 AS build',
        'WORKDIR /go/src/github.com/acme/app',
        'COPY . .',
        'RUN CGO_ENABLED=0 go install -v ./...',
        'FROM golang:1.13 AS other',
        'ENV GO111MODULE=on',
        'COPY . .',
        'RUN go build -o /out/other .',
        ...runtime,
      ),
      context: ['main.go', 'go.mod'],
      findings: [
        { messageId: 'outOfSupport', line: 1 },
        { messageId: 'outOfSupport', line: 5 },
      ],
      output: lines(
        `FROM golang:${newest.minor} AS build`,
        'WORKDIR /go/src/github.com/acme/app',
        'COPY . .',
        'RUN CGO_ENABLED=0 go install -v ./...',
        `FROM golang:${newest.minor} AS other`,
        'ENV GO111MODULE=on',
        'COPY . .',
        'RUN go build -o /out/other .',
        ...runtime,
      ),
    },
    {
      name: 'a release out of support: a warning, moved to the newest release by the fix',
      code: lines('FROM golang:1.22-alpine AS build', ...build, ...runtime),
      findings: [
        {
          messageId: 'outOfSupport',
          line: 1,
          column: 6,
          severity: 'warning',
          message: new RegExp(
            `^Go 1\\.22 \\(golang:1\\.22-alpine\\) has been out of support since 2025-02-11: .* Build with a supported Go, ${newest.minor} or ${second.minor} \\(Go release data of ${dataDate}\\)\\.$`,
          ),
        },
      ],
      output: lines(`FROM golang:${newest.minor}-alpine AS build`, ...build, ...runtime),
    },
    {
      name: 'through an ARG default: the message names it, the fix edits it',
      code: lines(
        'ARG GO_VERSION=1.15.2',
        'FROM golang:${GO_VERSION} AS build',
        ...build,
        ...runtime,
      ),
      findings: [
        {
          messageId: 'outOfSupport',
          line: 2,
          severity: 'warning',
          message:
            /^Go 1\.15\.2 \(golang:1\.15\.2, from the default of ARG GO_VERSION on line 1\) has been out of support since 2021-08-16/,
        },
      ],
      fix: /^Set ARG GO_VERSION to Go /,
      output: lines(
        `ARG GO_VERSION=${newest.latest}`,
        'FROM golang:${GO_VERSION} AS build',
        ...build,
        ...runtime,
      ),
    },
    {
      name: 'one ARG default read by two FROMs: one finding, which names both, and one edit',
      code: lines(
        'ARG GO_VERSION=1.15.2',
        'FROM golang:${GO_VERSION} AS tools',
        'COPY . .',
        'RUN go build -o /out/tool ./cmd/tool',
        'FROM golang:${GO_VERSION} AS build',
        ...build,
        'FROM golang:${GO_VERSION}-alpine AS other',
        'COPY . .',
        'RUN go build -o /out/other ./cmd/other',
        ...runtime,
      ),
      findings: [
        {
          messageId: 'outOfSupport',
          line: 2,
          message:
            /^Go 1\.15\.2 \(golang:1\.15\.2, from the default of ARG GO_VERSION on line 1, which the FROMs on lines 2 and 5 read\) has been/,
        },
        // Another image, though from the same ARG: reported on its own.
        {
          messageId: 'outOfSupport',
          line: 9,
          message:
            /^Go 1\.15\.2 \(golang:1\.15\.2-alpine, from the default of ARG GO_VERSION on line 1\) has/,
        },
      ],
    },
    {
      name: 'an older patch of a supported line: info, moved to its newest patch',
      code: lines(`FROM golang:${oldPatch} AS build`, ...build, ...runtime),
      findings: [
        {
          messageId: 'oldPatch',
          line: 1,
          severity: 'info',
          message: new RegExp(
            `^Go ${oldPatch.replace(/\./g, '\\.')} \\(golang:${oldPatch.replace(/\./g, '\\.')}\\) is behind Go ${second.latest.replace(/\./g, '\\.')}`,
          ),
        },
      ],
      output: lines(`FROM golang:${second.latest} AS build`, ...build, ...runtime),
    },
    {
      name: 'a pre-release of a line that is out',
      code: lines(`FROM golang:${newest.minor}rc1 AS build`, ...build, ...runtime),
      findings: [{ messageId: 'prerelease', line: 1, severity: 'info' }],
      output: lines(`FROM golang:${newest.latest} AS build`, ...build, ...runtime),
    },
    {
      name: 'the build in a stage built on the golang stage',
      code: lines(
        'FROM golang:1.21 AS base',
        'WORKDIR /src',
        'FROM base AS build',
        'COPY . .',
        'RUN go build -o /out/app .',
        ...runtime,
      ),
      findings: [{ messageId: 'outOfSupport', line: 1, severity: 'warning' }],
    },
    {
      name: 'variants that newer releases drop, and digests: reported without a fix',
      code: lines(
        'FROM golang:1.22rc1-alpine3.19 AS build',
        ...build,
        `FROM golang:1.22.3${digest} AS b2`,
        'RUN go build -o /out/b2 .',
        `FROM golang:${oldPatch}-bullseye${digest} AS b3`,
        'RUN go build -o /out/b3 .',
        ...runtime,
      ),
      findings: [
        { messageId: 'outOfSupport', line: 1, severity: 'warning' },
        { messageId: 'outOfSupport', line: 5, severity: 'warning' },
        { messageId: 'oldPatch', line: 7, severity: 'info' },
      ],
      output: null,
    },
    {
      name: 'make, or a tool install, in a stage another stage copies from',
      code: lines(
        'FROM golang:1.20 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN make build',
        'FROM mirror.gcr.io/library/golang:1.19-alpine AS tools',
        'RUN go install github.com/grpc-ecosystem/grpc-health-probe@v0.4.24',
        'FROM scratch',
        'COPY --from=build /src/bin/app /app',
        'COPY --from=tools /go/bin/grpc-health-probe /grpc-health-probe',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        { messageId: 'outOfSupport', line: 1, severity: 'warning' },
        {
          messageId: 'outOfSupport',
          line: 5,
          severity: 'warning',
          message: /^Go 1\.19 \(mirror\.gcr\.io\/library\/golang/,
        },
      ],
    },
    {
      name: 'a tool that runs the go command builds what is copied out (xk6 build)',
      code: lines(
        'FROM golang:1.19 AS builder',
        'RUN go install go.k6.io/xk6/cmd/xk6@v1.4.7',
        'RUN xk6 build v2.1.0 --output /build/k6',
        'FROM alpine:3.22',
        'COPY --from=builder /build/k6 /usr/bin/k6',
        'ENTRYPOINT ["k6"]',
      ),
      findings: [{ messageId: 'outOfSupport', line: 1 }],
    },
    {
      name: 'a tool installed in the image that ships: the image runs it',
      code: lines(
        'FROM golang:1.19-alpine',
        'RUN go install github.com/example/ddns@v1.2.0',
        'CMD ["ddns", "-conf-file", "/config/ddns.yml"]',
      ),
      findings: [{ messageId: 'outOfSupport', line: 1 }],
    },
    {
      name: 'a tool taken through a folder above it, a glob or a stage built on its stage',
      code: lines(
        'FROM golang:1.19 AS whole',
        'RUN go install github.com/grpc-ecosystem/grpc-health-probe@v0.4.24',
        'FROM golang:1.19 AS globbed',
        'RUN go install github.com/grpc-ecosystem/grpc-health-probe@v0.4.24',
        'FROM golang:1.19 AS parent',
        'RUN go install github.com/grpc-ecosystem/grpc-health-probe@v0.4.24',
        'FROM parent AS child',
        'FROM scratch',
        'COPY --from=whole /go /go',
        'COPY --from=globbed /go/bin/grpc-* /bin/',
        'COPY --from=child /etc/passwd /etc/passwd',
      ),
      findings: [
        { messageId: 'outOfSupport', line: 1 },
        { messageId: 'outOfSupport', line: 3 },
        { messageId: 'outOfSupport', line: 5 },
      ],
    },
  ],
});

test('golang-image-outdated: its fixes are suggestions, never applied by fix-all', () => {
  const found = runRule(
    golangImageOutdated,
    lines('FROM golang:1.22 AS build', ...build, `FROM golang:${oldPatch} AS b2`, ...build),
  );
  assert.equal(found.length, 2);
  for (const finding of found) {
    assert.ok(finding.fixes.length > 0);
    for (const fix of finding.fixes) assert.equal(fix.safe, false);
  }
});
