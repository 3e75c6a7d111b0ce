import { goBuildVcsWithoutGit } from '../../../server/src/core/rules/go-build-vcs-without-git';
import { lines, ruleTester } from '../../support/rule-tester';

const context = ['.git/HEAD', 'go.mod', 'main.go'];
const fails = /has none\. .*the build fails with "error obtaining VCS status/;

ruleTester(goBuildVcsWithoutGit, {
  valid: [
    {
      name: 'a default build on Go 1.18.1+ omits the stamp when git is missing',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
      context,
    },
    {
      name: 'the build context is unknown',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=true -o /out/app .',
      ),
    },
    {
      name: 'the context has no .git (excluded by .dockerignore)',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=true -o /out/app .',
      ),
      context: ['go.mod', 'main.go'],
    },
    {
      name: 'git installed first',
      code: lines(
        'FROM golang:1.18.0-alpine AS build',
        'RUN apk add --no-cache git',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
      context,
    },
    {
      name: 'git installed earlier in the same RUN, in a parent stage image',
      code: lines(
        'FROM golang:1.18.0-alpine AS base',
        'FROM base AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN apk add git && go build -buildvcs=true -o /out/app .',
      ),
      context,
    },
    {
      name: 'Debian-based golang images ship git',
      code: lines(
        'FROM golang:1.18.0 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=true -o /out/app .',
      ),
      context,
    },
    {
      name: '-buildvcs=false, also from GOFLAGS',
      code: lines(
        'FROM golang:1.18.0-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=false -o /out/app .',
        'ENV GOFLAGS=-buildvcs=false',
        'RUN go build -o /out/app2 .',
      ),
      context,
    },
    {
      name: 'only a subdirectory is copied',
      code: lines(
        'FROM golang:1.18.0-alpine AS build',
        'WORKDIR /src',
        'COPY cmd/ ./cmd/',
        'COPY go.mod ./',
        'RUN go build -o /out/app ./cmd/app',
      ),
      context,
    },
    {
      name: 'a tool installed at a version is not stamped from the context',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go install -buildvcs=true golang.org/x/tools/cmd/stringer@v0.29.0',
      ),
      context,
    },
  ],
  invalid: [
    {
      name: 'Go 1.18.0 stamps by default: -buildvcs=false goes after go build',
      code: lines(
        'FROM golang:1.18.0-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
      ),
      context,
      findings: [
        {
          messageId: 'needsGit',
          line: 4,
          column: 19,
          severity: 'warning',
          message: /Go 1\.18\.0 stamps version-control information by default/,
        },
      ],
      output: lines(
        'FROM golang:1.18.0-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -buildvcs=false -o /out/app .',
      ),
    },
    {
      name: 'an explicit -buildvcs=true is replaced',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=true -o /out/app .',
      ),
      context,
      findings: [{ messageId: 'needsGit', line: 4, column: 5, message: fails }],
      output: lines(
        'FROM golang:1.24-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=false -o /out/app .',
      ),
    },
    {
      name: '-buildvcs=true in GOFLAGS; exec form; a .git file (worktree)',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'ENV GOFLAGS=-buildvcs=true',
        'WORKDIR /src',
        'COPY . .',
        'RUN ["go", "build", "-o", "/out/app", "."]',
      ),
      context: ['.git', 'go.mod', 'main.go'],
      findings: [{ messageId: 'needsGit', line: 5, column: 6 }],
      output: lines(
        'FROM golang:1.24-alpine AS build',
        'ENV GOFLAGS=-buildvcs=true',
        'WORKDIR /src',
        'COPY . .',
        'RUN ["go", "build", "-buildvcs=false", "-o", "/out/app", "."]',
      ),
    },
    {
      name: 'a bind mount of the context, sh -c, a heredoc, lowercase',
      code: lines(
        'from golang:1.18.0-alpine3.15 as build',
        'workdir /src',
        'run --mount=type=bind,target=. <<EOF',
        'sh -c "go build -o /out/app ."',
        'EOF',
      ),
      context,
      findings: [{ messageId: 'needsGit', line: 4, column: 8 }],
      output: lines(
        'from golang:1.18.0-alpine3.15 as build',
        'workdir /src',
        'run --mount=type=bind,target=. <<EOF',
        'sh -c "go build -buildvcs=false -o /out/app ."',
        'EOF',
      ),
    },
    {
      name: 'a continuation with a backtick escape, -buildvcs alone',
      code: lines(
        '# escape=`',
        'FROM golang:1.24-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs `',
        '    -o /out/app .',
      ),
      context,
      findings: [{ messageId: 'needsGit', line: 5, column: 5 }],
      output: lines(
        '# escape=`',
        'FROM golang:1.24-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=false `',
        '    -o /out/app .',
      ),
    },
  ],
});
