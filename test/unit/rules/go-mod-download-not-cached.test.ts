import { goModDownloadNotCached } from '../../../server/src/core/rules/go-mod-download-not-cached';
import { lines, ruleTester } from '../../support/rule-tester';

const goMod = 'module example.com/app\n\ngo 1.24\n\nrequire golang.org/x/sync v0.10.0\n';
const message =
  /copies the whole source before `go build` \(line \d+\), and go\.mod and go\.sum were not copied first/;

ruleTester(goModDownloadNotCached, {
  valid: [
    {
      name: 'go.mod and go.sum copied and downloaded first',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
    },
    {
      name: 'a glob that brings go.mod',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.* ./',
        'RUN go mod download',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
    },
    {
      name: 'go.mod and go.sum bind-mounted for the download',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN --mount=type=cache,target=/go/pkg/mod \\',
        '    --mount=type=bind,source=go.sum,target=go.sum \\',
        '    --mount=type=bind,source=go.mod,target=go.mod \\',
        '    go mod download',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
    },
    {
      name: 'the whole context bind-mounted before the COPY',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN --mount=target=. go mod download',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
    },
    {
      name: 'a module cache mount on the build',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod go build -o /out/app .',
      ),
    },
    {
      name: 'a cache mount of the module download cache',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN --mount=type=cache,target=/go/pkg/mod/cache go build -o /out/app .',
      ),
    },
    {
      name: 'GOPATH mode downloads no modules',
      code: lines(
        'FROM golang:1.24 AS build',
        'ENV GO111MODULE=off',
        'WORKDIR /go/src/example.com/app',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
    },
    {
      name: 'vendored modules',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -mod=vendor -o /out/app .',
      ),
    },
    {
      name: 'a known context with vendor/modules.txt',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
      context: ['go.mod', 'go.sum', 'main.go', 'vendor/modules.txt'],
    },
    {
      name: 'a known go.mod that requires nothing: nothing to download',
      code: lines(
        'FROM golang',
        'WORKDIR /go/src/app',
        'COPY . .',
        'RUN go get -d -v ./...',
        'RUN go build -o /go/bin/app -v ./...',
      ),
      goMod: 'module github.com/example/app\n\ngo 1.20\n',
    },
    {
      name: 'a parent stage copied go.mod first',
      code: lines(
        'FROM golang:1.24 AS deps',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'FROM deps AS build',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
    },
    {
      name: 'no go command after the COPY',
      code: lines('FROM golang:1.24 AS build', 'WORKDIR /src', 'COPY . .', 'RUN ls -la'),
    },
    {
      name: 'only a tool installed at a version (not the module)',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go install golang.org/x/tools/cmd/stringer@v0.29.0',
      ),
    },
    {
      name: 'the go command runs outside the copied tree',
      code: lines(
        'FROM golang:1.24 AS build',
        'COPY ./ /assets/',
        'RUN go install golang.org/x/tools/cmd/stringer@v0.29.0 && go version',
        'RUN cd /tmp && go env',
      ),
    },
    {
      name: 'a known context without a go.mod where the command runs',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
      context: ['main.go', 'tools/go.mod'],
    },
    {
      name: 'the module cache copied in from a download stage',
      code: lines(
        'FROM golang:1.24 AS deps',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'FROM golang:1.24 AS build',
        'COPY --from=deps /go/pkg/mod /go/pkg/mod',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
    },
    {
      name: 'a COPY from another stage is not the build context',
      code: lines(
        'FROM alpine AS src',
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY --from=src . .',
        'RUN go build -o /out/app .',
      ),
    },
    {
      name: 'a build that runs only when no prebuilt binary is there',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN [ -f bin/app ] || go build -o bin/app .',
      ),
      goMod,
    },
    {
      name: 'a build in an if branch',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN if [ ! -f bin/app ]; then \\',
        '      CGO_ENABLED=0 go build -o bin/app .; \\',
        '    fi',
      ),
      goMod,
    },
    {
      name: 'make behind a test',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN test -f app || make build',
      ),
      goMod,
    },
    {
      name: 'make in a stage without the go command',
      code: lines('FROM debian:12 AS build', 'WORKDIR /src', 'COPY . .', 'RUN make'),
      goMod,
    },
  ],
  invalid: [
    {
      name: 'COPY . . before go build: the download goes first',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
      goMod,
      findings: [{ messageId: 'sourceBeforeGoMod', line: 3, column: 1, severity: 'info', message }],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
    },
    {
      name: 'COPY . . before a lone go mod download: the download moves up',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go mod download',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
      ),
      findings: [
        { messageId: 'sourceBeforeGoMod', line: 3, message: /before `go mod download` \(line 4\)/ },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
      ),
    },
    {
      name: 'a download with a comment above it or other commands stays (it then finds everything)',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        '# fetch the dependencies',
        'RUN go mod download',
        'RUN go mod download && go mod verify',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
      ),
      findings: [
        { messageId: 'sourceBeforeGoMod', line: 3, message: /before `go mod download` \(line 5\)/ },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        '# fetch the dependencies',
        'RUN go mod download',
        'RUN go mod download && go mod verify',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
      ),
    },
    {
      name: 'a lone download on the last line, without a final newline, moves up',
      code: 'FROM golang:1.24 AS dev\nWORKDIR /src\nCOPY . .\nRUN go mod download',
      findings: [{ messageId: 'sourceBeforeGoMod', line: 3 }],
      output:
        'FROM golang:1.24 AS dev\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n',
    },
    {
      name: 'CRLF, a byte-order mark, an escape directive, lowercase, indentation and --chown',
      code: '\uFEFF# escape=`\r\nfrom golang:1.24 as build\r\nworkdir /src\r\n  copy --chown=app:app --link . .\r\nrun go build `\r\n  -o /out/app .\r\n',
      goMod,
      findings: [{ messageId: 'sourceBeforeGoMod', line: 4, column: 3 }],
      output:
        '\uFEFF# escape=`\r\nfrom golang:1.24 as build\r\nworkdir /src\r\n  copy --chown=app:app --link go.mod go.sum ./\r\n  run go mod download\r\n  copy --chown=app:app --link . .\r\nrun go build `\r\n  -o /out/app .\r\n',
    },
    {
      name: 'ADD ./ to a directory the WORKDIR names later: the download runs there',
      code: lines(
        'FROM golang:1.24 AS build',
        'ADD ./ /src',
        'WORKDIR /src',
        'RUN go build -o /out/app .',
      ),
      findings: [
        {
          messageId: 'sourceBeforeGoMod',
          line: 2,
          message: /`ADD \.\/ \/src` copies the whole source/,
        },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'COPY go.mod go.sum /src/',
        'RUN cd /src && go mod download',
        'ADD ./ /src',
        'WORKDIR /src',
        'RUN go build -o /out/app .',
      ),
    },
    {
      name: 'a known context without go.sum: only go.mod is copied',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
      context: ['go.mod', 'main.go'],
      findings: [{ messageId: 'sourceBeforeGoMod', line: 3 }],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.mod ./',
        'RUN go mod download',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
    },
    {
      // The line of the go word, a continuation line of its RUN.
      name: 'a build on a continuation line of its RUN',
      code: lines(
        'FROM golang:1.26 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN apt-get update && \\',
        '    apt-get install -y make && \\',
        '    go build -o /out/app .',
      ),
      findings: [
        { messageId: 'sourceBeforeGoMod', line: 3, message: /before `go build` \(line 6\)/ },
      ],
    },
    {
      name: 'a heredoc build',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN <<EOF',
        'set -e',
        'go build -o /out/app .',
        'EOF',
      ),
      findings: [
        { messageId: 'sourceBeforeGoMod', line: 3, message: /before `go build` \(line 6\)/ },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN <<EOF',
        'set -e',
        'go build -o /out/app .',
        'EOF',
      ),
    },
    {
      name: 'an exec-form build',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN ["go", "build", "-o", "/out/app", "."]',
      ),
      findings: [{ messageId: 'sourceBeforeGoMod', line: 3 }],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN ["go", "build", "-o", "/out/app", "."]',
      ),
    },
    {
      name: 'a build inside sh -c, after an && chain',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go version && sh -c "go vet ./... && go build -o /out/app ."',
      ),
      findings: [
        { messageId: 'sourceBeforeGoMod', line: 3, message: /before `go vet` \(line 4\)/ },
      ],
      output: lines(
        'FROM golang:1.24-alpine AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN go version && sh -c "go vet ./... && go build -o /out/app ."',
      ),
    },
    {
      name: 'no fix: the RUN sets GOARM anew, the ENV value no go command takes',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH TARGETVARIANT',
        'ENV CGO_ENABLED=0 GOARCH=$TARGETARCH GOARM=$TARGETVARIANT',
        'WORKDIR /src',
        'COPY . .',
        'RUN export GOARM=$(echo "$GOARM" | cut -c2-) && go build -o /out/app .',
      ),
      findings: [
        {
          messageId: 'sourceBeforeGoMod',
          line: 5,
          message:
            /No automatic fix: the RUN sets GOARM anew before its go command, and a download before the COPY would run with the ENV's GOARM/,
        },
      ],
      output: null,
    },
    {
      name: 'a fix: the RUN sets GOARCH again to a value the ENV already has in a valid form',
      code: lines(
        'FROM golang:1.24 AS build',
        'ENV GOARCH=amd64 CGO_ENABLED=1',
        'WORKDIR /src',
        'COPY . .',
        'RUN CGO_ENABLED=0 GOARCH=arm64 go build -o /out/app .',
      ),
      findings: [{ messageId: 'sourceBeforeGoMod', line: 4 }],
      output: lines(
        'FROM golang:1.24 AS build',
        'ENV GOARCH=amd64 CGO_ENABLED=1',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN CGO_ENABLED=0 GOARCH=arm64 go build -o /out/app .',
      ),
    },
    {
      name: 'no fix: a download setting comes after the COPY',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'ENV GOPRIVATE=example.com/private',
        'RUN go build -o /out/app .',
      ),
      findings: [
        {
          messageId: 'sourceBeforeGoMod',
          line: 3,
          message: /No automatic fix: the go command sees download settings/,
        },
      ],
      output: null,
    },
    {
      name: 'no fix: an inline GOPROXY',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN GOPROXY=https://goproxy.io go build -o /out/app .',
      ),
      findings: [{ messageId: 'sourceBeforeGoMod', line: 3 }],
      output: null,
    },
    {
      name: 'a conditional build skipped: the first build that always runs',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN [ "$RUN_TESTS" = 1 ] && go test ./... ; go build -o /out/app .',
      ),
      goMod,
      findings: [
        { messageId: 'sourceBeforeGoMod', line: 3, message: /before `go build` \(line 4\)/ },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN [ "$RUN_TESTS" = 1 ] && go test ./... ; go build -o /out/app .',
      ),
    },
    {
      name: 'make after COPY . .: the download goes first',
      code: lines('FROM golang:1.24 AS build', 'WORKDIR /src', 'COPY . .', 'RUN make build'),
      goMod,
      findings: [
        {
          messageId: 'sourceBeforeGoMod',
          line: 3,
          message: /copies the whole source before `make` \(line 4\)/,
        },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN make build',
      ),
    },
    {
      name: 'a build script the context shows to run go',
      code: lines('FROM golang:1.24 AS build', 'WORKDIR /src', 'COPY . .', 'RUN ./build.sh'),
      goMod,
      context: ['go.mod', 'go.sum', 'build.sh'],
      readFile: { 'build.sh': '#!/bin/sh\ngo build -o /out/app .\n' },
      findings: [
        { messageId: 'sourceBeforeGoMod', line: 3, message: /before `\.\/build\.sh` \(line 4\)/ },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN ./build.sh',
      ),
    },
    {
      name: 'a compiling go run (a build driver)',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go run build/ci.go install ./cmd/app',
      ),
      goMod,
      findings: [
        { messageId: 'sourceBeforeGoMod', line: 3, message: /before `go run` \(line 4\)/ },
      ],
    },
    {
      name: 'no fix: make runs in another directory than the copied tree',
      code: lines('FROM golang:1.24 AS build', 'WORKDIR /src', 'COPY . .', 'RUN make -C service'),
      goMod,
      findings: [
        {
          messageId: 'sourceBeforeGoMod',
          line: 3,
          message: /`make` runs in \/src\/service, not where the source is copied/,
        },
      ],
      output: null,
    },
    {
      name: 'no fix: go.mod replaces a module with a local directory',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
      goMod: goMod + '\nreplace example.com/lib => ./lib\n',
      findings: [
        {
          messageId: 'sourceBeforeGoMod',
          line: 3,
          message: /replaces modules with local directories/,
        },
      ],
      output: null,
    },
    {
      name: 'no fix: the module is in a subdirectory of the context',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN cd service && go build -o /out/app .',
      ),
      context: ['service/go.mod', 'service/go.sum', 'service/main.go'],
      findings: [
        {
          messageId: 'sourceBeforeGoMod',
          line: 3,
          message: /runs in \/src\/service, not where the source is copied/,
        },
      ],
      output: null,
    },
    {
      name: 'no fix: packages installed after the COPY may be what the download needs',
      code: lines(
        'FROM golang:1.24-alpine',
        'WORKDIR /src/app',
        'COPY . /src/app',
        'RUN apk --update add git && \\',
        '    go run main.go version',
      ),
      findings: [
        {
          messageId: 'sourceBeforeGoMod',
          line: 3,
          message: /before `go run` \(line 5\).*packages installed after the COPY/,
        },
      ],
      output: null,
    },
    {
      name: 'no fix: private modules through a secret mount',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN --mount=type=secret,id=netrc,target=/root/.netrc go build -o /out/app .',
      ),
      findings: [{ messageId: 'sourceBeforeGoMod', line: 3, message: /secret or SSH mounts/ }],
      output: null,
    },
    {
      name: 'no fix: the download happens in a stage built on this one',
      code: lines(
        'FROM golang:1.24 AS src',
        'WORKDIR /src',
        'COPY . .',
        'FROM src AS build',
        'RUN go build -o /out/app .',
      ),
      findings: [
        { messageId: 'sourceBeforeGoMod', line: 3, message: /before `go build` \(line 5\)/ },
      ],
      output: null,
    },
  ],
});

const vendoredContext = ['go.mod', 'go.sum', 'main.go', 'vendor/modules.txt', 'Makefile'];
const wholeCopy = (run: string) =>
  lines('FROM golang:1.24 AS build', 'WORKDIR /src', 'COPY . .', run);

ruleTester(goModDownloadNotCached, {
  valid: [
    {
      name: 'a make target that runs no go, with the Makefile known',
      code: wholeCopy('RUN make web'),
      goMod,
      context: ['go.mod', 'go.sum', 'main.go', 'Makefile'],
      readFile: { Makefile: 'web:\n\tcd web && npm ci && npm run build\nbuild:\n\tgo build .\n' },
    },
    {
      name: 'vendored modules used by make: Go 1.14+ builds from vendor/ by default',
      code: wholeCopy('RUN make build'),
      goMod,
      context: vendoredContext,
      readFile: { 'go.mod': goMod, Makefile: 'build:\n\tgo build -o /out/app .\n' },
    },
  ],
  invalid: [
    {
      name: 'vendor/ unused where go.mod says go 1.13: go build and make',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
        'FROM golang:1.24 AS make',
        'WORKDIR /src',
        'COPY . .',
        'RUN make build',
      ),
      goMod,
      context: vendoredContext,
      readFile: {
        'go.mod': goMod.replace('go 1.24', 'go 1.13'),
        Makefile: 'build:\n\tgo build -o /out/app .\n',
      },
      findings: [
        { messageId: 'sourceBeforeGoMod', line: 3, message },
        { messageId: 'sourceBeforeGoMod', line: 7, message: /before `make` \(line 8\)/ },
      ],
    },
  ],
});
