import { cgoRequiredButDisabled } from '../../../server/src/core/rules/cgo-required-but-disabled';
import { lines, ruleTester } from '../../support/rule-tester';

const goMod = (...requires: string[]) =>
  ['module example.com/app', '', 'go 1.24', '', ...requires.map((r) => `require ${r}`), ''].join(
    '\n',
  );
const SQLITE = 'github.com/mattn/go-sqlite3 v1.14.24';
const mainImporting = (...imports: string[]) =>
  ['package main', '', ...imports.map((i) => `import _ "${i}"`), '', 'func main() {}', ''].join(
    '\n',
  );
const cgoFile = (constraint?: string) =>
  [
    ...(constraint ? [constraint, ''] : []),
    'package main',
    '',
    '// int answer(void) { return 42; }',
    'import "C"',
    '',
    'func answer() int { return int(C.answer()) }',
    '',
  ].join('\n');

/** A single-stage build of the working directory with `run` as its go command. */
const build = (image: string, run: string, ...before: string[]) =>
  lines(`FROM ${image} AS build`, ...before, 'WORKDIR /src', 'COPY . .', `RUN ${run}`);

/** A build of sources `git clone`d in the image: nothing of the module comes from the context. */
const cloned = (run: string, ...before: string[]) =>
  lines(
    'FROM golang:1.24-alpine AS build',
    'RUN git clone https://example.com/app /src',
    'WORKDIR /src',
    ...before,
    `RUN ${run}`,
  );
/** The module in the context, go-sqlite3 imported only behind `//go:build sqlite`. */
const taggedModule: Record<string, string> = {
  'go.mod': goMod(SQLITE),
  'main.go': mainImporting('net/http'),
  'store/sqlite.go': [
    '//go:build sqlite',
    '',
    'package store',
    '',
    'import _ "github.com/mattn/go-sqlite3"',
    '',
  ].join('\n'),
};

const ALPINE = 'golang:1.24-alpine';
const DEBIAN = 'golang:1.24';

ruleTester(cgoRequiredButDisabled, {
  valid: [
    {
      name: 'cgo on: a Debian golang image ships gcc',
      code: build(DEBIAN, 'go build -o /out/app .'),
      files: { 'go.mod': goMod(SQLITE), 'main.go': mainImporting('github.com/mattn/go-sqlite3') },
    },
    {
      name: 'cgo on: a C compiler installed in a golang alpine image',
      code: build(ALPINE, 'go build -o /out/app .', 'RUN apk add --no-cache gcc musl-dev'),
      files: { 'go.mod': goMod(SQLITE), 'main.go': mainImporting('github.com/mattn/go-sqlite3') },
    },
    {
      name: 'cgo off, and the sources, read whole, import no cgo-only module (go.mod requires one)',
      code: build(DEBIAN, 'CGO_ENABLED=0 go build -o /out/app .'),
      files: { 'go.mod': goMod(SQLITE), 'main.go': mainImporting('net/http') },
    },
    {
      name: 'only another program of the module imports go-sqlite3',
      code: build(DEBIAN, 'CGO_ENABLED=0 go build -o /out/api ./cmd/api'),
      files: {
        'go.mod': goMod(SQLITE),
        'cmd/api/main.go': mainImporting('net/http'),
        'cmd/migrate/main.go': mainImporting('github.com/mattn/go-sqlite3'),
      },
    },
    {
      name: 'the sqlite file asks for cgo itself (`//go:build cgo`)',
      code: build(ALPINE, 'go build -o /out/app .'),
      files: {
        'go.mod': goMod(SQLITE),
        'main.go': mainImporting('net/http'),
        'store.go':
          '//go:build !nosqlite && cgo\n\npackage main\n\nimport _ "github.com/mattn/go-sqlite3"\n',
      },
    },
    {
      name: 'an old-style `// +build cgo` line',
      code: build(ALPINE, 'go build -o /out/app .'),
      files: {
        'go.mod': goMod(SQLITE),
        'main.go': mainImporting('net/http'),
        'store.go':
          '// +build linux,cgo\n\npackage main\n\nimport _ "github.com/mattn/go-sqlite3"\n',
      },
    },
    {
      name: 'the sqlite file needs a tag the build does not set',
      code: build(DEBIAN, 'CGO_ENABLED=0 go build -tags netgo -o /out/app .'),
      files: {
        'go.mod': goMod(SQLITE),
        'main.go': mainImporting('net/http'),
        'store.go': '//go:build sqlite\n\npackage main\n\nimport _ "github.com/mattn/go-sqlite3"\n',
      },
    },
    {
      name: 'import "C" in a file for another system (by name and by constraint)',
      code: build(DEBIAN, 'CGO_ENABLED=0 go build -o /out/app .'),
      files: {
        'go.mod': goMod(),
        'main.go': mainImporting('net/http'),
        'serial_darwin.go': cgoFile(),
        'console.go': cgoFile('//go:build windows'),
      },
    },
    {
      name: 'import "C" with a `!cgo` counterpart in its package',
      code: build(DEBIAN, 'CGO_ENABLED=0 go build -o /out/app .'),
      files: {
        'go.mod': goMod(),
        'main.go': mainImporting('net/http'),
        'answer.go': cgoFile(),
        'answer_stub.go': '//go:build !cgo\n\npackage main\n\nfunc answer() int { return 42 }\n',
      },
    },
    {
      name: 'import "C" in a file of an architecture the build does not name',
      code: build(DEBIAN, 'CGO_ENABLED=0 go build -o /out/app .'),
      files: {
        'go.mod': goMod(),
        'main.go': mainImporting('net/http'),
        'simd_arm64.go': cgoFile(),
      },
    },
    {
      name: 'sources cloned in the image: the go.mod given is not shown to be theirs',
      code: cloned('CGO_ENABLED=0 go build -o /out/app .'),
      goMod: goMod(SQLITE),
    },
    {
      name: 'cloned, the context holds the module: its only importer is behind a tag the build does not set',
      code: cloned('CGO_ENABLED=0 go build -o /out/app .'),
      goMod: goMod(SQLITE),
      files: taggedModule,
    },
    {
      name: 'cloned, the tags come from a variable: whether the importer is built is not known',
      code: cloned('CGO_ENABLED=0 go build -tags "$TAGS" -o /out/app .', 'ARG TAGS'),
      goMod: goMod(SQLITE),
      files: taggedModule,
    },
    {
      name: 'copied from the context, built from a folder not known here: the module has no importer but tests',
      code: lines(
        `FROM ${ALPINE} AS build`,
        'ARG DIR',
        'WORKDIR /src',
        'COPY . .',
        'WORKDIR /src/$DIR',
        'RUN go build -o /out/app .',
      ),
      goMod: goMod(SQLITE),
      files: {
        'go.mod': goMod(SQLITE),
        'main.go': mainImporting('net/http'),
        'store_test.go': mainImporting('github.com/mattn/go-sqlite3'),
      },
    },
    {
      name: 'go.mod alone, with the requirement marked indirect',
      code: build(DEBIAN, 'CGO_ENABLED=0 go build -o /out/app .'),
      goMod: goMod(`${SQLITE} // indirect`),
    },
    {
      name: 'a tool from elsewhere (`go install tool@version`)',
      code: build(ALPINE, 'go install github.com/pressly/goose/v3/cmd/goose@v3.24.1'),
      goMod: goMod(SQLITE),
    },
    {
      name: 'gorm.io/driver/sqlite when go.mod does not list go-sqlite3',
      code: build(ALPINE, 'go build -o /out/app .'),
      files: {
        'go.mod': goMod('gorm.io/driver/sqlite v1.9.0'),
        'main.go': mainImporting('gorm.io/driver/sqlite'),
      },
    },
    {
      name: 'cgo set from a variable',
      code: build(DEBIAN, 'CGO_ENABLED=$CGO go build -o /out/app .', 'ARG CGO'),
      files: { 'go.mod': goMod(SQLITE), 'main.go': mainImporting('github.com/mattn/go-sqlite3') },
    },
    {
      name: 'go run is not a build',
      code: build(ALPINE, 'go run .'),
      files: { 'go.mod': goMod(SQLITE), 'main.go': mainImporting('github.com/mattn/go-sqlite3') },
    },
  ],
  invalid: [
    {
      name: 'golang alpine without a C compiler, main.go imports go-sqlite3',
      code: build(ALPINE, 'go build -o /out/app .'),
      files: { 'go.mod': goMod(SQLITE), 'main.go': mainImporting('github.com/mattn/go-sqlite3') },
      findings: [
        {
          line: 4,
          column: 5,
          messageId: 'stub',
          severity: 'error',
          data: { module: 'github.com/mattn/go-sqlite3' },
          message:
            /main\.go imports github\.com\/mattn\/go-sqlite3.*golang:1\.24-alpine has no C compiler.*This is a stub.*apk add gcc musl-dev.*modernc\.org\/sqlite/,
        },
      ],
      output: null,
    },
    {
      name: 'CGO_ENABLED=0 on the command, a package of the module imports bimg',
      code: build(DEBIAN, 'CGO_ENABLED=0 go install ./cmd/app'),
      files: {
        'go.mod': goMod('github.com/h2non/bimg v1.1.9'),
        'cmd/app/main.go': mainImporting('example.com/app/internal/resize'),
        'internal/resize/resize.go':
          'package resize\n\nimport "github.com/h2non/bimg"\n\nvar _ = bimg.NewImage\n',
      },
      findings: [
        {
          line: 4,
          messageId: 'module',
          data: { module: 'github.com/h2non/bimg' },
          message:
            /internal\/resize\/resize\.go imports .*the command sets CGO_ENABLED=0.*set CGO_ENABLED=1 instead of 0/,
        },
      ],
    },
    {
      name: 'ENV CGO_ENABLED=0 and a file that imports "C"',
      code: build(DEBIAN, 'go build -o /out/app .', 'ENV CGO_ENABLED=0'),
      files: { 'go.mod': goMod(), 'main.go': mainImporting('net/http'), 'answer.go': cgoFile() },
      findings: [
        {
          line: 5,
          messageId: 'importsC',
          data: { file: 'answer.go' },
          message:
            /import "C" in answer\.go.*CGO_ENABLED=0 is set for this stage.*leaves out every file/,
        },
      ],
    },
    {
      name: "gorm's sqlite driver, with go-sqlite3 in go.mod",
      code: build(ALPINE, 'go build -o /out/app .'),
      files: {
        'go.mod': goMod('gorm.io/driver/sqlite v1.5.0', `${SQLITE} // indirect`),
        'main.go': mainImporting('gorm.io/driver/sqlite'),
      },
      findings: [
        {
          line: 4,
          messageId: 'stub',
          data: { module: 'github.com/mattn/go-sqlite3' },
          message:
            /main\.go imports gorm\.io\/driver\/sqlite, which uses github\.com\/mattn\/go-sqlite3/,
        },
      ],
    },
    {
      name: 'the sqlite file needs a tag the build sets',
      code: build(DEBIAN, 'CGO_ENABLED=0 go build -tags "sqlite json1" -o /out/app .'),
      files: {
        'go.mod': goMod(SQLITE),
        'main.go': mainImporting('net/http'),
        'store.go': '//go:build sqlite\n\npackage main\n\nimport _ "github.com/mattn/go-sqlite3"\n',
      },
      findings: [{ line: 4, messageId: 'stub' }],
    },
    {
      name: 'a build for darwin with cgo off reads the darwin files',
      code: build(DEBIAN, 'GOOS=darwin CGO_ENABLED=0 go build -o /out/app .'),
      files: {
        'go.mod': goMod(),
        'main.go': mainImporting('net/http'),
        'serial_darwin.go': cgoFile(),
      },
      findings: [{ line: 4, messageId: 'importsC', data: { file: 'serial_darwin.go' } }],
    },
    {
      name: 'go.mod alone: a direct requirement is a warning',
      code: build(ALPINE, 'go build -o /out/app .'),
      goMod: goMod(SQLITE),
      findings: [
        {
          line: 4,
          messageId: 'goModStub',
          severity: 'warning',
          data: { module: 'github.com/mattn/go-sqlite3' },
          message: /may need cgo.*Only go\.mod says so/,
        },
      ],
    },
    {
      name: 'go.mod alone: confluent-kafka-go, a module that fails to build without cgo',
      code: build(DEBIAN, 'CGO_ENABLED=0 go build -o /out/app .'),
      goMod: goMod('github.com/confluentinc/confluent-kafka-go/v2 v2.6.0'),
      findings: [
        {
          line: 4,
          messageId: 'goModModule',
          severity: 'warning',
          data: { module: 'github.com/confluentinc/confluent-kafka-go/v2' },
        },
      ],
    },
    {
      name: 'cloned, the context holds the module: an importer built in every build keeps the warning',
      code: cloned('CGO_ENABLED=0 go build -o /out/app .'),
      goMod: goMod(SQLITE),
      files: { ...taggedModule, 'cache.go': mainImporting('github.com/mattn/go-sqlite3') },
      findings: [{ line: 4, messageId: 'goModStub', severity: 'warning' }],
    },
    {
      name: 'cloned, built with the tag that brings the importer in',
      code: cloned('CGO_ENABLED=0 go build -tags sqlite -o /out/app .'),
      goMod: goMod(SQLITE),
      files: taggedModule,
      findings: [{ line: 4, messageId: 'goModStub', severity: 'warning' }],
    },
    {
      name: 'the sources cannot all be read: go.mod decides',
      code: build(DEBIAN, 'CGO_ENABLED=0 go build -o /out/app .'),
      files: {
        'go.mod': goMod(SQLITE),
        'main.go': mainImporting('net/http'),
        // It mentions the module: what it imports cannot be known.
        'broken.go': 'package main\n\nimport _ "github.com/mattn/go-sqlite3"\n\nfunc (',
      },
      findings: [{ line: 4, messageId: 'goModStub', severity: 'warning' }],
    },
  ],
});
