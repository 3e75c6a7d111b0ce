import { goModuleFileNotInContext } from '../../../server/src/core/rules/go-module-file-not-in-context';
import { lines, ruleTester } from '../../support/rule-tester';

const withRequire = 'module example.com/shop\n\ngo 1.22\n\nrequire golang.org/x/text v0.14.0\n';
const bare = 'module example.com/shop\n\ngo 1.22\n';
/** A go.mod requiring a module it replaces with a folder outside the context. */
const replacedOutside = lines(
  bare,
  'require example.com/lib v0.0.0',
  '',
  'replace example.com/lib => ../lib',
);
const main = 'package main\n\nfunc main() {}\n';

const modCopy = lines(
  'FROM golang:1.24 AS build',
  'WORKDIR /src',
  'COPY go.mod go.sum ./',
  'RUN go mod download',
  'COPY . .',
  'RUN go build -o /out/shop ./cmd/shop',
);

ruleTester(goModuleFileNotInContext, {
  valid: [
    {
      name: 'go.mod, go.sum and the package are in the context',
      code: modCopy,
      context: ['go.mod', 'go.sum', 'cmd/shop/main.go'],
    },
    {
      name: 'a glob the shell expands to the files of a package (./cmd/loadtester/*)',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'COPY cmd/ cmd/',
        'RUN CGO_ENABLED=0 go build -o loadtester ./cmd/loadtester/*',
      ),
      context: ['go.mod', 'go.sum', 'cmd/loadtester/main.go'],
    },
    {
      name: 'the build context is not known',
      code: modCopy,
    },
    {
      name: 'a glob copies go.sum only when there is one',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY go.* ./', 'RUN go mod download'),
      context: ['go.mod'],
    },
    {
      name: 'a package directory written by an earlier RUN',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go generate ./... && mkdir -p gen && cp x gen/',
        'RUN go build ./gen',
      ),
      context: ['go.mod', 'main.go'],
    },
    {
      name: 'the whole context copied and .dockerignore leaves go.mod in',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /app .'),
      context: ['go.mod', 'main.go'],
      dockerignore: '*.md\n.git\n',
    },
    {
      name: 'go.sum excluded but the module has no requirements',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /app .'),
      files: { 'go.mod': bare, 'main.go': main },
      dockerignore: 'go.sum\n',
    },
    {
      name: 'a replace outside the context, but the module is vendored: the build reads vendor/',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /app .'),
      files: {
        'go.mod': replacedOutside,
        'main.go': main,
        'vendor/modules.txt': lines(
          '# example.com/lib v0.0.0 => ../lib',
          '## explicit',
          'example.com/lib',
          '# example.com/lib => ../lib',
        ),
        'vendor/example.com/lib/lib.go': 'package lib\n',
      },
    },
    {
      name: 'a replace inside the context',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /app .'),
      files: {
        'go.mod': bare + '\nreplace example.com/lib => ./lib\n',
        'main.go': main,
        'lib/go.mod': 'module example.com/lib\n',
      },
    },
    {
      name: "a module in a subfolder replacing with ../, the context's root",
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY go.mod go.mod',
        'COPY test/go.mod test/go.mod',
        'WORKDIR /src/test',
        'RUN go mod download',
      ),
      files: {
        'go.mod': bare,
        'main.go': main,
        'test/go.mod':
          'module example.com/shop/test\n\nreplace example.com/shop => ../\n\nrequire example.com/shop v0.0.0\n',
      },
    },
    {
      name: 'ADD of go.mod and go.sum that the context holds',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'ADD go.mod go.sum ./',
        'RUN go mod download',
      ),
      context: ['go.mod', 'go.sum'],
    },
    {
      name: 'ADD of a go.mod or go.sum fetched from a URL or a git repository, not the context',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'ADD https://example.com/shop/go.mod https://example.com/shop/go.sum?raw=1 ./',
        'ADD git@github.com:example/shop.git#v1:go.work /src/',
        'RUN go mod download',
      ),
      context: ['main.go'],
    },
    {
      name: 'go install of a remote tool does not read the module',
      code: lines('FROM golang:1.24', 'COPY . .', 'RUN go install example.com/tool@v1.0.0'),
      context: ['main.go'],
      dockerignore: 'go.mod\n',
    },
  ],
  invalid: [
    {
      name: 'COPY go.sum with no go.sum in the context: copy go.mod alone',
      code: modCopy,
      context: ['go.mod', 'cmd/shop/main.go'],
      findings: [
        {
          messageId: 'copyMissing',
          line: 3,
          column: 13,
          message:
            /^COPY go\.sum fails the build: the build context has no such file\. A module without requirements has no go\.sum: copy go\.mod alone\.$/,
        },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.mod ./',
        'RUN go mod download',
        'COPY . .',
        'RUN go build -o /out/shop ./cmd/shop',
      ),
    },
    {
      name: 'ADD go.sum with no go.sum in the context: the message names the ADD',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'ADD go.mod go.sum ./',
        'RUN go mod download',
      ),
      context: ['go.mod'],
      findings: [
        {
          messageId: 'copyMissing',
          line: 3,
          column: 12,
          data: { keyword: 'ADD', path: 'go.sum' },
          message: /^ADD go\.sum fails the build: the build context has no such file\./,
        },
      ],
      output: lines('FROM golang:1.24', 'WORKDIR /src', 'ADD go.mod ./', 'RUN go mod download'),
    },
    {
      name: 'a local ADD beside a remote one is still read from the context',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'ADD https://example.com/tools.tar.gz go.mod ./',
        'RUN go mod download',
      ),
      context: ['main.go'],
      findings: [{ messageId: 'copyMissing', line: 3, column: 38, data: { keyword: 'ADD' } }],
    },
    {
      name: 'go.sum listed first',
      code: lines('FROM golang:1.24', 'COPY go.sum go.mod ./', 'RUN go mod download'),
      context: ['go.mod'],
      findings: [{ messageId: 'copyMissing', line: 2, column: 6 }],
      output: lines('FROM golang:1.24', 'COPY go.mod ./', 'RUN go mod download'),
    },
    {
      name: '.dockerignore excludes go.mod that a COPY names (no fix: the context must change)',
      code: modCopy,
      context: ['go.mod', 'go.sum', 'cmd/shop/main.go'],
      dockerignore: 'go.mod\n',
      findings: [
        {
          messageId: 'copyExcluded',
          line: 3,
          column: 6,
          data: { keyword: 'COPY', path: 'go.mod' },
        },
      ],
      output: null,
    },
    {
      name: 'go build of a package the context does not have',
      code: modCopy,
      context: ['go.mod', 'go.sum', 'cmd/server/main.go'],
      findings: [
        {
          messageId: 'dirMissing',
          line: 6,
          column: 27,
          data: { subcommand: 'build', argument: './cmd/shop', dir: 'cmd/shop' },
        },
      ],
    },
    {
      name: 'go build of a package that .dockerignore excludes',
      code: modCopy,
      context: ['go.mod', 'go.sum', 'cmd/shop/main.go'],
      dockerignore: 'cmd\n',
      findings: [
        {
          messageId: 'dirExcluded',
          line: 6,
          data: { subcommand: 'build', argument: './cmd/shop', dir: 'cmd/shop' },
        },
      ],
    },
    {
      name: 'the whole context copied, and .dockerignore excludes go.mod',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /app .'),
      context: ['go.mod', 'main.go'],
      dockerignore: 'go.mod\n',
      findings: [
        {
          messageId: 'goFileExcluded',
          line: 3,
          message:
            /^\.dockerignore excludes go\.mod, so this COPY does not bring it and the go build on line 4 fails/,
        },
      ],
    },
    {
      name: 'the whole context added, and .dockerignore excludes go.mod: the detail names the ADD',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'ADD . .', 'RUN go build -o /app .'),
      context: ['go.mod', 'main.go'],
      dockerignore: 'go.mod\n',
      findings: [
        { messageId: 'goFileExcluded', line: 3, message: /so this ADD does not bring it/ },
      ],
    },
    {
      name: 'the whole context copied, and .dockerignore excludes the go.sum a module with requirements needs',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /app .'),
      files: { 'go.mod': withRequire, 'main.go': main, 'go.sum': '' },
      dockerignore: 'go.sum\n',
      findings: [
        {
          messageId: 'goFileExcluded',
          line: 3,
          message: /excludes go\.sum.*missing go\.sum entry/,
        },
      ],
    },
    {
      name: 'vendored, but go mod download reads the module graph, replaced folder included',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN go mod download'),
      files: {
        'go.mod': replacedOutside,
        'main.go': main,
        'vendor/modules.txt': '# example.com/lib v0.0.0 => ../lib\n## explicit\nexample.com/lib\n',
      },
      findings: [{ messageId: 'replaceUnreachable', line: 3 }],
    },
    {
      name: 'a replace that points outside the build context',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY go.mod ./', 'RUN go mod download'),
      files: { 'go.mod': bare + '\nreplace example.com/lib => ../lib\n' },
      findings: [
        {
          messageId: 'replaceUnreachable',
          line: 3,
          message:
            /^go\.mod replaces a module with \.\.\/lib, outside the build context, which the build cannot reach: go mod download and go build fail\./,
        },
      ],
    },
    {
      name: 'a replace to a directory the context does not send',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /app .'),
      files: { 'go.mod': bare + '\nreplace example.com/lib => ./lib\n', 'main.go': main },
      findings: [
        {
          messageId: 'replaceUnreachable',
          line: 3,
          message: /replaces a module with \.\/lib, but the build context has none/,
        },
      ],
    },
  ],
});
