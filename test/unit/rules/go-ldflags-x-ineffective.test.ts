import { goLdflagsXIneffective } from '../../../server/src/core/rules/go-ldflags-x-ineffective';
import { lines, ruleTester } from '../../support/rule-tester';

const goMod = 'module example.com/shop\n\ngo 1.22\n';
const mainGo = (decls: string) =>
  `package main\n\nimport "fmt"\n\n${decls}\n\nfunc main() { fmt.Println(version) }\n`;
const versionGo = (decls: string) => `package version\n\n${decls}\n`;

/** A module with a main package in cmd/shop and a version package. */
function tree(main: string, version = 'var Version string'): Record<string, string> {
  return {
    'go.mod': goMod,
    'cmd/shop/main.go': mainGo(main),
    'internal/version/version.go': versionGo(version),
  };
}

const build = (ldflags: string, target = './cmd/shop') =>
  lines(
    'FROM golang:1.24 AS build',
    'WORKDIR /src',
    'COPY . .',
    `RUN go build -ldflags="${ldflags}" -o /out/shop ${target}`,
  );

ruleTester(goLdflagsXIneffective, {
  valid: [
    {
      name: 'main.version is an uninitialised string variable of the main package',
      code: build('-s -w -X main.version=1.2.3'),
      files: tree('var version string'),
    },
    {
      name: 'a string variable with a literal default, in a group',
      code: build('-X main.version=1.2.3'),
      files: tree('var (\n\tversion = "dev"\n\tcommit string\n)'),
    },
    {
      name: 'a package of the module, named by its import path',
      code: build('-X example.com/shop/internal/version.Version=1.2.3'),
      files: tree('var version string'),
    },
    {
      name: 'a dependency outside the module is not read',
      code: build('-X github.com/prometheus/common/version.Version=1.2.3'),
      files: tree('var version string'),
    },
    {
      name: 'the build context is not known',
      code: build('-X main.nothing=1'),
    },
    {
      name: 'a comma inside a value, not before another stamp',
      code: build("-X 'main.version=1.2, build 7' -X main.features=a,b.c,d"),
    },
    {
      name: 'the context is listed but its sources cannot be read',
      code: build('-X main.nothing=1'),
      context: ['go.mod', 'cmd/shop/main.go'],
    },
    {
      name: 'a symbol written with a variable',
      code: lines(
        'FROM golang:1.24 AS build',
        'ARG PKG',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -ldflags="-X ${PKG}.version=1" -o /out/shop ./cmd/shop',
      ),
      files: tree('var version string'),
    },
    {
      name: 'a variable initialised from another name (maybe a constant) is not judged',
      code: build('-X main.version=1'),
      files: tree('const dev = "dev"\n\nvar version = dev'),
    },
    {
      name: 'the main package in the working directory, built with no package argument',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'WORKDIR /src/cmd/shop',
        'RUN go build -ldflags "-X main.version=1" -o /out/shop',
      ),
      files: tree('var version string'),
    },
  ],
  invalid: [
    {
      name: 'two stamps joined by a comma: the second is never set, even without the context',
      code: lines(
        'FROM golang:1.24 AS build',
        'ARG VERSION=dev',
        'ARG COMMIT',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -ldflags "-w -X server.version=${VERSION},example.com/shop/server.commit=${COMMIT}" -o /out/shop .',
      ),
      findings: [
        {
          messageId: 'joined',
          line: 6,
          column: 14,
          data: { symbol: 'server.version', other: 'example.com/shop/server.commit' },
        },
      ],
      output: null,
    },
    {
      name: 'joined stamps in the value an ENV gives -ldflags',
      code: lines(
        'FROM golang:1.24 AS build',
        'ENV LDFLAGS="-X main.version=1.0,main.commit=abc"',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -ldflags "$LDFLAGS" -o /out/shop .',
      ),
      findings: [
        { messageId: 'joined', line: 5, data: { symbol: 'main.version', other: 'main.commit' } },
      ],
      output: null,
    },
    {
      name: 'the main package declares no such variable',
      code: build('-s -w -X main.Version=1.2.3'),
      files: tree('var version string', 'var Other string'),
      findings: [
        {
          messageId: 'notDeclared',
          line: 4,
          column: 14,
          data: { symbol: 'main.Version', where: 'the main package', name: 'Version' },
        },
      ],
      output: null,
    },
    {
      name: 'a value the Dockerfile leaves unknown (an ARG without a default, a $(…)) is no matter',
      code: lines(
        'FROM golang:1.24 AS build',
        'ARG VERSION',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -ldflags "-X main.Version=${VERSION} -X main.date=$(date +%s)" -o /out/shop ./cmd/shop',
      ),
      files: tree('var version string\nvar date string', 'var Other string'),
      findings: [
        {
          messageId: 'notDeclared',
          line: 5,
          column: 14,
          data: { symbol: 'main.Version', where: 'the main package', name: 'Version' },
        },
      ],
      output: null,
    },
    {
      name: 'the name exists in another package: the message gives its -X path',
      code: build('-X main.Version=1.2.3'),
      files: tree('var version string', 'var Version string'),
      findings: [
        {
          messageId: 'declaredAs',
          line: 4,
          data: {
            symbol: 'main.Version',
            where: 'the main package',
            name: 'Version',
            others: 'example.com/shop/internal/version.Version',
          },
        },
      ],
    },
    {
      name: 'a constant cannot be set',
      code: build('-X main.version=1.2.3'),
      files: tree('const version = "dev"'),
      findings: [
        { messageId: 'constant', line: 4, data: { symbol: 'main.version', name: 'version' } },
      ],
    },
    {
      name: 'a variable set by a call overwrites the stamp',
      code: build('-X example.com/shop/internal/version.Version=1'),
      files: tree('var version string', 'import "os"\n\nvar Version = os.Getenv("VERSION")'),
      findings: [{ messageId: 'initCall', line: 4 }],
    },
    {
      name: 'a variable that is not a string fails the link',
      code: build('-X main.version=1'),
      files: tree('var version int'),
      findings: [
        {
          messageId: 'notString',
          line: 4,
          data: { symbol: 'main.version', name: 'version', type: 'int' },
        },
      ],
    },
    {
      name: 'a main package named by its import path',
      code: build('-X example.com/shop/cmd/shop.version=1'),
      files: tree('var version string'),
      findings: [{ messageId: 'mainPackage', line: 4 }],
    },
    {
      name: 'through an ENV whose value is known, with only the main package copied',
      code: lines(
        'FROM golang:1.24 AS build',
        'ENV LDFLAGS="-s -w -X main.Version=dev"',
        'WORKDIR /src',
        'COPY go.mod ./',
        'COPY cmd ./cmd',
        'RUN go build -ldflags "$LDFLAGS" -o /out/shop ./cmd/shop',
      ),
      files: tree('var version string'),
      findings: [
        {
          messageId: 'notDeclared',
          line: 6,
          data: { symbol: 'main.Version', where: 'the main package', name: 'Version' },
        },
      ],
    },
    {
      name: 'the default of an ARG is what a plain docker build links',
      code: lines(
        'FROM golang:1.24 AS build',
        'ARG LDFLAGS="-X main.Version=dev"',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -ldflags "$LDFLAGS" -o /out/shop ./cmd/shop',
      ),
      files: tree('var version string'),
      findings: [
        {
          messageId: 'declaredAs',
          line: 5,
          data: {
            symbol: 'main.Version',
            where: 'the main package',
            name: 'Version',
            others: 'example.com/shop/internal/version.Version',
          },
        },
      ],
    },
    {
      name: 'go build of files names the main package',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN cd cmd/shop && go build -ldflags "-X main.commit=abc" -o /out/shop main.go',
      ),
      files: tree('var version string'),
      findings: [
        {
          messageId: 'notDeclared',
          line: 4,
          data: { symbol: 'main.commit', where: 'the main package', name: 'commit' },
        },
      ],
    },
  ],
});
