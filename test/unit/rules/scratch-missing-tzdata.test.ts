import { scratchMissingTzdata } from '../../../server/src/core/rules/scratch-missing-tzdata';
import { lines, ruleTester } from '../../support/rule-tester';

const runtime = ['FROM scratch', 'COPY --from=build /out/app /app', 'ENTRYPOINT ["/app"]'];
const zoneinfo = 'COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo';
const goMod = 'module example.com/app\n\ngo 1.24\n';
const mainImporting = (...imports: string[]) =>
  ['package main', '', ...imports.map((i) => `import _ "${i}"`), '', 'func main() {}', ''].join(
    '\n',
  );
/** A build of the context's sources, with `target` as the package built. */
const sourceBuild = (target: string) =>
  lines(
    'FROM golang:1.24 AS build',
    'WORKDIR /src',
    'COPY . .',
    `RUN CGO_ENABLED=0 go build -o /out/app ${target}`,
    ...runtime,
  );

ruleTester(scratchMissingTzdata, {
  valid: [
    {
      name: 'zoneinfo is copied',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM scratch',
        zoneinfo,
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: '-tags timetzdata',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -tags timetzdata -o /out/app .',
        ...runtime,
      ),
    },
    {
      name: 'timetzdata among other tags',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -tags "netgo osusergo timetzdata" -o /out/app .',
        ...runtime,
      ),
    },
    {
      name: 'timetzdata through GOFLAGS',
      code: lines(
        'FROM golang:1.24 AS build',
        'ENV GOFLAGS=-tags=timetzdata',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        ...runtime,
      ),
    },
    {
      name: 'tags from a variable may hold timetzdata',
      code: lines(
        'FROM golang:1.24 AS build',
        'ARG TAGS',
        'RUN CGO_ENABLED=0 go build -tags "$TAGS" -o /out/app .',
        ...runtime,
      ),
    },
    {
      name: "Go's zoneinfo.zip with ZONEINFO",
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM scratch',
        'COPY --from=build /usr/local/go/lib/time/zoneinfo.zip /zoneinfo.zip',
        'ENV ZONEINFO=/zoneinfo.zip',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a make build: its tags are not visible',
      code: lines(
        'FROM golang:1.24 AS build',
        'COPY . .',
        'RUN make build',
        'FROM scratch',
        'COPY --from=build /src/bin/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'distroless ships zoneinfo',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM gcr.io/distroless/static-debian12:nonroot',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'the program embeds the database itself (import _ "time/tzdata"), the context known',
      code: sourceBuild('.'),
      files: { 'go.mod': goMod, 'main.go': mainImporting('time/tzdata', 'net/http') },
    },
    {
      name: 'the import sits in a package of the module the program imports',
      code: sourceBuild('./cmd/app'),
      files: {
        'go.mod': goMod,
        'cmd/app/main.go': mainImporting('example.com/app/internal/clock'),
        'internal/clock/clock.go': 'package clock\n\nimport _ "time/tzdata"\n',
      },
    },
  ],
  invalid: [
    {
      name: 'sources known, and the program does not import time/tzdata',
      code: sourceBuild('.'),
      files: { 'go.mod': goMod, 'main.go': mainImporting('net/http') },
      findings: [{ messageId: 'noTzdata', line: 5 }],
    },
    {
      name: 'only another program of the module imports time/tzdata',
      code: sourceBuild('./cmd/api'),
      files: {
        'go.mod': goMod,
        'cmd/api/main.go': mainImporting('net/http'),
        'cmd/tool/main.go': mainImporting('time/tzdata'),
      },
      findings: [{ messageId: 'noTzdata', line: 5 }],
    },
    {
      name: 'a Debian golang builder: copy its zoneinfo',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        ...runtime,
      ),
      findings: [
        {
          messageId: 'noTzdata',
          line: 3,
          column: 6,
          severity: 'hint',
          message:
            /scratch has no zoneinfo database and the go build \(line 2\) does not embed one.*unknown time zone.*COPY --from=build \/usr\/share\/zoneinfo \/usr\/share\/zoneinfo.*time\/tzdata.*seen when the build context is known/,
        },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM scratch',
        zoneinfo,
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'or embed the database with -tags timetzdata',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        ...runtime,
      ),
      findings: [{ messageId: 'noTzdata', line: 3 }],
      fix: /timetzdata/,
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -tags timetzdata -o /out/app .',
        ...runtime,
      ),
    },
    {
      name: 'an alpine builder that installs tzdata',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN apk add --no-cache tzdata',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        ...runtime,
      ),
      findings: [{ messageId: 'noTzdata', line: 4 }],
      output: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN apk add --no-cache tzdata',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM scratch',
        zoneinfo,
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'an alpine builder without tzdata: only the build tag, after a continuation',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN CGO_ENABLED=0 go build \\',
        '    -o /out/app .',
        ...runtime,
      ),
      findings: [{ messageId: 'noTzdata', line: 4, message: /install tzdata in the build stage/ }],
      output: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN CGO_ENABLED=0 go build -tags timetzdata \\',
        '    -o /out/app .',
        ...runtime,
      ),
    },
    {
      name: 'a heredoc build',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN <<EOF',
        'set -e',
        'CGO_ENABLED=0 go build -o /out/app .',
        'EOF',
        ...runtime,
      ),
      findings: [{ messageId: 'noTzdata', line: 6 }],
      output: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN <<EOF',
        'set -e',
        'CGO_ENABLED=0 go build -tags timetzdata -o /out/app .',
        'EOF',
        ...runtime,
      ),
    },
    {
      name: 'an exec-form build on alpine: no fix to offer',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'ENV CGO_ENABLED=0',
        'RUN ["go", "build", "-o", "/out/app", "."]',
        ...runtime,
      ),
      findings: [{ messageId: 'noTzdata', line: 4 }],
      output: null,
    },
    {
      name: 'a final FROM built on a scratch stage; lowercase; CRLF',
      code: [
        'from golang:1.24 as build',
        'run CGO_ENABLED=0 go build -o /out/app .',
        'from scratch as base',
        'from base',
        'copy --from=build /out/app /app',
        '',
      ].join('\r\n'),
      findings: [{ messageId: 'noTzdata', line: 4, column: 6 }],
      output: [
        'from golang:1.24 as build',
        'run CGO_ENABLED=0 go build -o /out/app .',
        'from scratch as base',
        'from base',
        'copy --from=build /usr/share/zoneinfo /usr/share/zoneinfo',
        'copy --from=build /out/app /app',
        '',
      ].join('\r\n'),
    },
  ],
});
