import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goBuildVcsWithoutGit } from '../../../server/src/core/rules/go-build-vcs-without-git';
import { testContext } from '../../support/context';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

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
      name: 'git built from source and moved into place, or copied from another image',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN make && make install && mv /git-dist/bin/git /bin/',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=true -o /out/app .',
        'FROM golang:1.24-alpine',
        'COPY --from=alpine/git /usr/bin/git /usr/bin/git',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=true -o /out/app .',
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
    {
      name: 'Go 1.20 and later take no .git file for a repository: nothing to stamp from',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=true -o /out/app .',
      ),
      files: { '.git': 'gitdir: /home/me/app/.git/worktrees/feature\n' },
      context: ['go.mod', 'main.go'],
    },
    {
      name: 'a .git file on Go 1.24 with git at hand',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
      files: { '.git': 'gitdir: ../.git/modules/app\n' },
      context: ['go.mod', 'main.go'],
    },
    {
      name: 'a whole .git with git at hand',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /out/app .'),
      context,
    },
    {
      name: 'parts of .git that git can do without are excluded',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /out/app .'),
      context,
      dockerignore: lines('.git/logs', '.git/hooks', '.git/index', '.git/refs/remotes'),
    },
    {
      name: 'all of .git is excluded: -buildvcs=true has no repository and stamps nothing',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=true -o /out/app .',
      ),
      context,
      dockerignore: '.git\n',
    },
    {
      name: 'a partial .git that the build does not copy',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY go.mod go.sum *.go ./',
        'COPY cmd/ ./cmd/',
        'RUN go build -buildvcs=true -o /out/app ./cmd/app',
      ),
      context: [...context, 'go.sum', 'cmd/app/main.go'],
      dockerignore: '.git/objects\n',
    },
    {
      name: 'a partial .git before Go 1.18, which did not stamp',
      code: lines('FROM golang:1.17', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /out/app .'),
      context,
      dockerignore: '.git/objects\n',
    },
    {
      name: 'a partial .git where git is missing: the default build leaves the stamp out',
      code: lines(
        'FROM golang:1.24-alpine',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
      context,
      dockerignore: '.git/objects\n',
    },
    {
      name: 'a partial .git and -buildvcs=false',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=false -o /out/app .',
      ),
      context,
      dockerignore: '.git/objects\n',
    },
    {
      name: 'a submodule on Go 1.19 whose repository is copied with the context',
      code: lines(
        'FROM golang:1.19',
        'WORKDIR /src',
        'COPY . .',
        'WORKDIR /src/lib',
        'RUN go build -o /out/app .',
      ),
      context: ['.git/HEAD', 'lib/go.mod', 'lib/main.go'],
      files: { 'lib/.git': 'gitdir: ../.git/modules/lib\n' },
    },
    {
      name: 'a list of Go files is built as command-line-arguments, which is never stamped',
      code: lines(
        'FROM golang:1.24-alpine',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=true -o /out/app main.go util.go',
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build main.go',
      ),
      context,
      dockerignore: '.git/objects\n',
    },
    {
      name: 'a golang image dated before Go 1.18 by its distribution release',
      code: lines(
        'FROM golang:alpine3.10',
        'RUN apk add git',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
        'FROM golang:stretch',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
      context,
      dockerignore: '.git/objects\n',
    },
    {
      name: 'GOPATH mode, and a context without go.mod: no module, no stamp',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /go/src/example.com/app',
        'COPY . .',
        'RUN GO111MODULE=off go build -o /out/app .',
      ),
      context: ['.git/HEAD', 'main.go'],
      dockerignore: '.git/objects\n',
    },
    {
      name: 'a .git file on Go 1.19 that cannot be read',
      code: lines('FROM golang:1.19', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /out/app .'),
      context: ['.git', 'go.mod', 'main.go'],
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
      name: '-buildvcs=true in GOFLAGS; exec form; a .git file (worktree) on Go 1.19',
      code: lines(
        'FROM golang:1.19-alpine AS build',
        'ENV GOFLAGS=-buildvcs=true',
        'WORKDIR /src',
        'COPY . .',
        'RUN ["go", "build", "-o", "/out/app", "."]',
      ),
      context: ['.git', 'go.mod', 'main.go'],
      findings: [{ messageId: 'needsGit', line: 5, column: 6 }],
      output: lines(
        'FROM golang:1.19-alpine AS build',
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
    {
      name: '.dockerignore excludes the objects: even a default build fails where git is',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /out/app .'),
      context,
      dockerignore: '.git/objects\n',
      findings: [
        {
          messageId: 'partialGit',
          line: 4,
          column: 5,
          data: { parts: '.git/objects', image: 'golang:1.24' },
          message: /exit status 128/,
        },
      ],
      output: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=false -o /out/app .',
      ),
    },
    {
      name: 'only HEAD kept; the build runs in a folder below the copy',
      code: lines(
        'FROM golang:1.22-bookworm AS build',
        'COPY . /src',
        'WORKDIR /src/cmd/app',
        'RUN go install .',
      ),
      context: [...context, 'cmd/app/main.go'],
      dockerignore: lines('.git/*', '!.git/HEAD'),
      findings: [
        {
          messageId: 'partialGit',
          line: 4,
          data: { subcommand: 'install', parts: '.git/refs, .git/objects' },
        },
      ],
      output: lines(
        'FROM golang:1.22-bookworm AS build',
        'COPY . /src',
        'WORKDIR /src/cmd/app',
        'RUN go install -buildvcs=false .',
      ),
    },
    {
      name: '.git excluded but for what names the commit: its objects stay out',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /out/app .'),
      context,
      dockerignore: lines('.git', '!.git/HEAD', '!.git/config', '!.git/refs'),
      findings: [{ messageId: 'partialGit', line: 4, data: { parts: '.git/objects' } }],
      output: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=false -o /out/app .',
      ),
    },
    {
      name: 'pack files excluded, git installed on alpine, -buildvcs=true replaced',
      code: lines(
        'FROM golang:1.24-alpine',
        'RUN apk add --no-cache git',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=true -o /out/app .',
      ),
      context,
      dockerignore: '**/*.pack\n',
      findings: [{ messageId: 'partialGit', line: 5, data: { parts: '.git/objects' } }],
      output: lines(
        'FROM golang:1.24-alpine',
        'RUN apk add --no-cache git',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=false -o /out/app .',
      ),
    },
    {
      name: 'a worktree on Go 1.19: its .git file links to an absolute path on the host',
      code: lines('FROM golang:1.19', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /out/app .'),
      context: ['go.mod', 'main.go'],
      files: { '.git': 'gitdir: /home/me/app/.git/worktrees/feature\n' },
      findings: [
        {
          messageId: 'brokenGitLink',
          line: 4,
          data: {
            file: '.git',
            target: '/home/me/app/.git/worktrees/feature',
            version: '1.19',
          },
          message: /an absolute path on the host/,
        },
      ],
      output: lines(
        'FROM golang:1.19',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=false -o /out/app .',
      ),
    },
    {
      name: 'a submodule built as the context on Go 1.18: its repository is outside',
      code: lines(
        'FROM golang:1.18.10-alpine',
        'RUN apk add git',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
      ),
      context: ['go.mod', 'main.go'],
      files: { '.git': 'gitdir: ../.git/modules/app\n' },
      findings: [
        {
          messageId: 'brokenGitLink',
          line: 5,
          data: { target: '../.git/modules/app' },
          message: /outside the build context/,
        },
      ],
      output: lines(
        'FROM golang:1.18.10-alpine',
        'RUN apk add git',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -buildvcs=false -o /out/app .',
      ),
    },
  ],
});

test('go-build-vcs-without-git: -buildvcs=false is safe only where the build asked for nothing', () => {
  const safety = (build: string) => {
    const found = runRule(
      goBuildVcsWithoutGit,
      lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', `RUN ${build}`),
      { context: testContext(context, undefined, '.git/objects\n') },
    );
    assert.equal(found.length, 1);
    return found[0].fixes.map((f) => f.safe);
  };
  // The default build fails anyway: leaving out a stamp it could not make changes nothing else.
  assert.deepEqual(safety('go build -o /out/app .'), [true]);
  // An explicit request is the author's: dropping it changes the binary's metadata.
  assert.deepEqual(safety('go build -buildvcs=true -o /out/app .'), [false]);
});
