import assert from 'node:assert/strict';
import { test } from 'node:test';
import { obsoleteGoBuildFlags } from '../../../server/src/core/rules/obsolete-go-build-flags';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

const suffix = /`-installsuffix cgo` only chose where compiled packages were installed/;

ruleTester(obsoleteGoBuildFlags, {
  valid: [
    {
      name: 'a plain module build',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
      ),
    },
    {
      name: 'old Go: -a -installsuffix cgo still mattered before 1.10',
      code: lines('FROM golang:1.9', 'RUN CGO_ENABLED=0 go build -a -installsuffix cgo -o /app .'),
    },
    {
      name: 'GO111MODULE=on before Go 1.16',
      code: lines('FROM golang:1.13', 'ENV GO111MODULE=on', 'RUN go build -o /app .'),
    },
    {
      name: 'GO111MODULE=on after a parent stage turned modules off',
      code: lines(
        'FROM golang:1.24 AS base',
        'ENV GO111MODULE=off',
        'FROM base AS build',
        'ENV GO111MODULE=on',
        'RUN go build -o /app .',
      ),
    },
    {
      name: 'GO111MODULE=auto and off are not the default',
      code: lines(
        'FROM golang:1.24',
        'ENV GO111MODULE=auto',
        'RUN GO111MODULE=off go build -o /app .',
      ),
    },
    {
      name: 'GO111MODULE=on in a stage that runs no go command',
      code: lines('FROM golang:1.24', 'ENV GO111MODULE=on', 'ENTRYPOINT ["/entrypoint.sh"]'),
    },
    {
      name: 'a GOPATH WORKDIR without a go.mod (a GOPATH build)',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /go/src/github.com/acme/app',
        'COPY . .',
        'RUN go build -o /app .',
      ),
    },
    {
      name: 'a GOPATH WORKDIR in GOPATH mode',
      code: lines(
        'FROM golang:1.24',
        'ENV GO111MODULE=off',
        'WORKDIR /go/src/github.com/acme/app',
        'COPY go.mod .',
        'RUN go build -o /app .',
      ),
    },
    {
      name: 'GO111MODULE=on over a go env -w GO111MODULE=auto: it does something',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go env -w GO111MODULE=auto',
        'ENV GO111MODULE=on',
        'RUN GO111MODULE=on go build -o /app .',
      ),
    },
    {
      name: 'a GOPATH WORKDIR below the directory go.mod was copied to, whatever the order',
      code: lines(
        'FROM golang:1.24',
        'COPY go.mod /go/src/app/',
        'WORKDIR /go/src/app/cmd/server',
        'RUN go build -o /app .',
      ),
    },
    {
      name: 'a flag that only looks like -a',
      code: lines(
        'FROM golang:1.24',
        'RUN go build -asmflags=-trimpath -o /app . && tar -a -cf x.tgz /app',
      ),
    },
  ],
  invalid: [
    {
      name: '-a -installsuffix cgo: two findings, both removable together',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 GOOS=linux go build -a -installsuffix cgo -o app .',
      ),
      findings: [
        { messageId: 'rebuildAll', line: 2, column: 39, severity: 'hint' },
        { messageId: 'installsuffix', line: 2, column: 42, message: suffix },
      ],
      output: lines('FROM golang:1.24 AS build', 'RUN CGO_ENABLED=0 GOOS=linux go build -o app .'),
    },
    {
      name: 'a command substitution in the -ldflags value and in an assignment: -a is located',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN V=$(date +%s) go build -a -ldflags "-X main.v=$(git describe --tags \\"--always\\")" -o /app/$(go env GOOS) .',
      ),
      findings: [{ messageId: 'rebuildAll', line: 2, column: 28 }],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN V=$(date +%s) go build -ldflags "-X main.v=$(git describe --tags \\"--always\\")" -o /app/$(go env GOOS) .',
      ),
    },
    {
      name: 'two go commands in one RUN, the second across a continuation',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -a -o app . && \\',
        '    go build \\',
        '    -a \\',
        '    -o tool ./cmd/tool',
      ),
      findings: [
        { messageId: 'rebuildAll', line: 2, column: 28 },
        { messageId: 'rebuildAll', line: 4, column: 5 },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o app . && \\',
        '    go build \\',
        '    -o tool ./cmd/tool',
      ),
    },
    {
      name: '-installsuffix=cgo at the end, in sh -c',
      code: lines('FROM golang:1.24 AS build', 'RUN sh -c "go build -o app -installsuffix=cgo"'),
      findings: [
        { messageId: 'installsuffix', line: 2, column: 28, message: /`-installsuffix cgo`/ },
      ],
      output: lines('FROM golang:1.24 AS build', 'RUN sh -c "go build -o app"'),
    },
    {
      name: '-a on its own continued line',
      code: lines('FROM golang:1.24 AS build', 'RUN go build \\', '    -a \\', '    -o app .'),
      findings: [{ messageId: 'rebuildAll', line: 3, column: 5 }],
      output: lines('FROM golang:1.24 AS build', 'RUN go build \\', '    -o app .'),
    },
    {
      name: '-a on the last continued line',
      code: lines('FROM golang:1.24 AS build', 'RUN go build -o app \\', '    -a', 'RUN echo done'),
      findings: [{ messageId: 'rebuildAll', line: 3, column: 5 }],
      output: lines('FROM golang:1.24 AS build', 'RUN go build -o app', 'RUN echo done'),
    },
    {
      name: 'a comment line in the way: no fix',
      code: lines('FROM golang:1.24 AS build', 'RUN go build -o app \\', '# stripped', '    -a'),
      findings: [{ messageId: 'rebuildAll', line: 4, column: 5 }],
      output: null,
    },
    {
      name: 'exec form and a heredoc',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN ["go", "build", "-a", "-o", "app", "."]',
        'RUN <<EOF',
        'go install -a ./cmd/tool',
        'EOF',
      ),
      findings: [
        { messageId: 'rebuildAll', line: 2, column: 21 },
        { messageId: 'rebuildAll', line: 4, column: 12 },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN ["go", "build", "-o", "app", "."]',
        'RUN <<EOF',
        'go install ./cmd/tool',
        'EOF',
      ),
    },
    {
      name: 'ENV GO111MODULE=on alone, and inside a continued ENV',
      code: lines(
        'FROM golang:1.24 AS build',
        'ENV GO111MODULE=on',
        'ENV CGO_ENABLED=0 \\',
        '    GO111MODULE=on \\',
        '    GOOS=linux',
        'RUN go build -o /app .',
      ),
      findings: [
        { messageId: 'go111moduleOn', line: 2, column: 5 },
        { messageId: 'go111moduleOn', line: 4, column: 5 },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'ENV CGO_ENABLED=0 \\',
        '    GOOS=linux',
        'RUN go build -o /app .',
      ),
    },
    {
      name: 'ENV GO111MODULE=on before a make target that runs go',
      code: lines(
        'FROM golang:1.24-alpine AS dev',
        'WORKDIR /src',
        'COPY . .',
        'ENV GO111MODULE=on',
        'RUN CGO_ENABLED=0 GOOS=linux make build',
      ),
      context: ['Makefile', 'go.mod', 'main.go'],
      readFile: {
        Makefile: 'build:\n\tgo build -o kube-vip .\n',
        'go.mod': 'module example.com/app\n\ngo 1.24\n',
      },
      findings: [{ messageId: 'go111moduleOn', line: 4, column: 5 }],
      output: lines(
        'FROM golang:1.24-alpine AS dev',
        'WORKDIR /src',
        'COPY . .',
        'RUN CGO_ENABLED=0 GOOS=linux make build',
      ),
    },
    {
      name: 'legacy ENV syntax, lowercase, CRLF',
      code: 'from golang:1.24\r\nenv GO111MODULE on\r\nrun go build -o /app .\r\n',
      findings: [{ messageId: 'go111moduleOn', line: 2, column: 5 }],
      output: 'from golang:1.24\r\nrun go build -o /app .\r\n',
    },
    {
      name: 'an ARG default, an inline assignment and env',
      code: lines(
        'FROM golang:1.24 AS build',
        'ARG GOOS=linux GO111MODULE=on',
        'RUN GO111MODULE=on GOPROXY=https://proxy.golang.org go mod download',
        'RUN env CGO_ENABLED=0 GO111MODULE=on go build -o /app .',
      ),
      findings: [
        { messageId: 'go111moduleOn', line: 2, column: 16 },
        { messageId: 'go111moduleOn', line: 3, column: 5 },
        { messageId: 'go111moduleOn', line: 4, column: 23 },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'ARG GOOS=linux',
        'RUN GOPROXY=https://proxy.golang.org go mod download',
        'RUN env CGO_ENABLED=0 go build -o /app .',
      ),
    },
    {
      name: 'export and go env -w: reported without a fix',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN export GO111MODULE=on && go build -o /app .',
        'RUN go env -w GO111MODULE=on',
      ),
      findings: [
        { messageId: 'go111moduleOn', line: 2, column: 12 },
        { messageId: 'go111moduleOn', line: 3, column: 15 },
      ],
      output: null,
    },
    {
      name: 'a GOPATH WORKDIR in a module build: no fix',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR $GOPATH/src/github.com/acme/app',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
      ),
      findings: [
        {
          messageId: 'gopathWorkdir',
          line: 2,
          column: 9,
          message:
            /WORKDIR \/go\/src\/github\.com\/acme\/app is a GOPATH-era path.*go\.mod is copied at line 3/,
        },
      ],
      output: null,
    },
    {
      name: 'a GOPATH WORKDIR after the COPY that brings go.mod there: the same finding',
      code: lines(
        'FROM golang:1.24 AS build',
        'COPY go.mod go.sum /go/src/github.com/acme/app/',
        'WORKDIR /go/src/github.com/acme/app',
        'RUN go mod download',
        'RUN go build -o /app .',
      ),
      findings: [
        { messageId: 'gopathWorkdir', line: 3, column: 9, message: /go\.mod is copied at line 2/ },
      ],
      output: null,
    },
    {
      name: 'the whole context copied to a GOPATH path before the WORKDIR',
      code: lines(
        'FROM golang:1.24 AS build',
        'COPY . /go/src/app',
        'WORKDIR /go/src/app',
        'RUN go build -o /app .',
      ),
      goMod: 'module example.com/app\n\ngo 1.24\n',
      findings: [{ messageId: 'gopathWorkdir', line: 3, column: 9 }],
      output: null,
    },
    {
      // The make target runs go build in the WORKDIR, as a go command there would.
      name: 'a GOPATH WORKDIR whose module a make target builds',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /go/src/example.com/app',
        'COPY . .',
        'RUN make build',
      ),
      files: {
        'go.mod': 'module example.com/app\n\ngo 1.24\n',
        'main.go': 'package main\n\nfunc main() {}\n',
        Makefile: 'build:\n\tgo build -o /app .\n',
      },
      findings: [{ messageId: 'gopathWorkdir', line: 2, column: 9 }],
      output: null,
    },
    {
      name: 'a GOPATH WORKDIR with the whole context and a known go.mod',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /go/src/app',
        'COPY . .',
        'RUN go build -o /app .',
      ),
      goMod: 'module example.com/app\n\ngo 1.24\n',
      findings: [{ messageId: 'gopathWorkdir', line: 2, column: 9 }],
      output: null,
    },
  ],
});

test('obsolete-go-build-flags: removable settings are tagged unnecessary, the WORKDIR that must stay is not', () => {
  const found = runRule(
    obsoleteGoBuildFlags,
    lines(
      'FROM golang:1.24 AS build',
      'ENV GO111MODULE=on',
      'WORKDIR /go/src/github.com/acme/app',
      'COPY go.mod go.sum ./',
      'RUN go build -a -o /app .',
    ),
  );
  const tagsByLine = found.map((d) => [d.range.start.line + 1, d.tags ?? []]);
  assert.deepEqual(tagsByLine, [
    [2, ['unnecessary']],
    [3, []],
    [5, ['unnecessary']],
  ]);
});
