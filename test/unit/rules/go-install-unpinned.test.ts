import { goInstallUnpinned } from '../../../server/src/core/rules/go-install-unpinned';
import { lines, ruleTester } from '../../support/rule-tester';

const floating = /installs the newest release when this layer is built/;

ruleTester(goInstallUnpinned, {
  valid: [
    {
      name: 'a full version',
      code: lines('FROM golang:1.24', 'RUN go install golang.org/x/tools/cmd/goimports@v0.29.0'),
    },
    {
      name: 'a pre-release, a pseudo-version and a commit',
      code: lines(
        'FROM golang:1.24',
        'RUN go install example.com/a/cmd/a@v1.2.3-rc.1 && \\',
        '    go install example.com/b@v0.0.0-20240101000000-abcdef123456 && \\',
        '    go install example.com/c@4f3a2b1',
      ),
    },
    {
      name: 'local packages',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go install ./cmd/app . ../other',
      ),
    },
    {
      name: "the main module's own packages",
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go install example.com/app/cmd/server',
      ),
      goMod: 'module example.com/app\n\ngo 1.24\n',
    },
    {
      name: 'no version inside a module: go.mod and go.sum pin it',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go install github.com/golang/mock/mockgen',
      ),
    },
    {
      name: 'go install tool (tools recorded in go.mod)',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /build',
        'COPY go.mod go.sum ./',
        'RUN go install tool',
      ),
    },
    {
      name: 'a version from an ARG with a pinned default',
      code: lines(
        'FROM golang:1.24',
        'ARG DLV=v1.24.0',
        'RUN go install github.com/go-delve/delve/cmd/dlv@${DLV}',
      ),
    },
    {
      name: 'a version from an ARG without a default',
      code: lines(
        'FROM golang:1.24',
        'ARG DLV',
        'RUN go install github.com/go-delve/delve/cmd/dlv@$DLV',
      ),
    },
    {
      name: 'a tag name that is not semver',
      code: lines('FROM golang:1.24', 'RUN go install example.com/tool@release-2024'),
    },
    {
      name: 'GOPATH mode has no versions',
      code: lines(
        'FROM golang:1.24',
        'ENV GO111MODULE=off',
        'RUN go install github.com/golang/dep/cmd/dep',
      ),
    },
    {
      name: 'before Go 1.16 there was no pkg@version',
      code: lines('FROM golang:1.15', 'RUN go install github.com/golang/dep/cmd/dep'),
    },
  ],
  invalid: [
    {
      name: '@latest',
      code: lines('FROM golang:1.24', 'RUN go install golang.org/x/tools/cmd/goimports@latest'),
      findings: [
        {
          messageId: 'floatingVersion',
          line: 2,
          column: 16,
          severity: 'warning',
          message: floating,
        },
      ],
      output: null,
    },
    {
      name: "the main module's own path at @latest: fetched from the proxy, not built from the sources",
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go install example.com/app/cmd/server@latest',
      ),
      goMod: 'module example.com/app\n\ngo 1.24\n',
      findings: [{ messageId: 'floatingVersion', line: 4, column: 16 }],
      output: null,
    },
    {
      name: 'a branch, a prefix and a range, several per command, exec form and sh -c',
      code: lines(
        'FROM golang:1.24',
        'RUN go install example.com/a@master example.com/b@v1 && sh -c "go install \'example.com/c@<v2\'"',
        'RUN ["go", "install", "example.com/d@HEAD"]',
      ),
      findings: [
        {
          messageId: 'floatingVersion',
          line: 2,
          column: 16,
          message: /the tip of the master branch/,
        },
        { messageId: 'floatingVersion', line: 2, column: 37, message: /the newest v1\.x release/ },
        {
          messageId: 'floatingVersion',
          line: 2,
          column: 75,
          message: /whichever release matches the range/,
        },
        {
          messageId: 'floatingVersion',
          line: 3,
          column: 23,
          message: /the tip of the HEAD branch/,
        },
      ],
      output: null,
    },
    {
      name: 'a floating version from an ARG default, across a continuation',
      code: lines(
        'FROM golang:1.24',
        'ARG VERSION=latest',
        'RUN CGO_ENABLED=0 \\',
        '    go install github.com/go-delve/delve/cmd/dlv@${VERSION}',
      ),
      findings: [
        {
          messageId: 'floatingVersion',
          line: 4,
          column: 16,
          message: /\(\$\{VERSION\} is latest\) installs the newest release/,
        },
      ],
      output: null,
    },
    {
      name: 'no version outside a module fails, in a heredoc, lowercase',
      code: lines(
        'from golang:1.24',
        'run <<EOF',
        'go install github.com/golang/dep/cmd/dep',
        'EOF',
      ),
      findings: [
        {
          messageId: 'noVersion',
          line: 3,
          column: 12,
          message:
            /names no version: outside a module it fails\. It runs outside a module.*requires a version/,
        },
      ],
      output: null,
    },
    {
      name: 'an alpine stage with go from apk',
      code: lines('FROM alpine:3.20', 'RUN apk add go && go install mvdan.cc/gofumpt@latest'),
      findings: [{ messageId: 'floatingVersion', line: 2, column: 30, message: floating }],
      output: null,
    },
  ],
});
