import { cgoAlpineReleaseSkew } from '../../../server/src/core/rules/cgo-alpine-release-skew';
import { lines, ruleTester } from '../../support/rule-tester';

const build = (image: string, command = 'RUN CGO_ENABLED=1 go build -o /out/app .') => [
  `FROM ${image} AS build`,
  'RUN apk add --no-cache build-base',
  'WORKDIR /src',
  'COPY . .',
  command,
];

ruleTester(cgoAlpineReleaseSkew, {
  valid: [
    {
      name: 'the same release',
      code: lines(
        ...build('golang:1.22-alpine3.19'),
        'FROM alpine:3.19',
        'COPY --from=build /out/app /app',
      ),
    },
    {
      name: 'a newer runtime release',
      code: lines(
        ...build('golang:1.22-alpine3.19'),
        'FROM alpine:3.20.3',
        'COPY --from=build /out/app /app',
      ),
    },
    {
      name: 'a builder tag without an Alpine release',
      code: lines(
        ...build('golang:1.22-alpine'),
        'FROM alpine:3.12',
        'COPY --from=build /out/app /app',
      ),
    },
    {
      name: 'a floating runtime tag',
      code: lines(
        ...build('golang:1.22-alpine3.19'),
        'FROM alpine:latest',
        'COPY --from=build /out/app /app',
      ),
    },
    {
      name: 'cgo off',
      code: lines(
        ...build('golang:1.22-alpine3.19', 'RUN CGO_ENABLED=0 go build -o /out/app .'),
        'FROM alpine:3.18',
        'COPY --from=build /out/app /app',
      ),
    },
    {
      name: 'no C compiler in an alpine builder: cgo is off',
      code: lines(
        'FROM golang:1.22-alpine3.19 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
        'FROM alpine:3.18',
        'COPY --from=build /out/app /app',
      ),
    },
    {
      name: 'linked statically',
      code: lines(
        ...build(
          'golang:1.22-alpine3.19',
          `RUN CGO_ENABLED=1 go build -ldflags '-extldflags "-static"' -o /out/app .`,
        ),
        'FROM alpine:3.18',
        'COPY --from=build /out/app /app',
      ),
    },
  ],
  invalid: [
    {
      name: 'built on alpine 3.19, run on alpine 3.18',
      code: lines(
        ...build('golang:1.22-alpine3.19'),
        'FROM alpine:3.18',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'newerAlpine',
          line: 7,
          column: 1,
          severity: 'info',
          message:
            /^This copies a cgo binary built on Alpine 3\.19 \(golang:1\.22-alpine3\.19, line 5\) into alpine:3\.18, an older Alpine 3\.18/,
        },
      ],
      output: lines(
        ...build('golang:1.22-alpine3.19'),
        'FROM alpine:3.19',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a patch release tag, a runtime built on another stage, and an old Go with cgo on by default',
      code: lines(
        'FROM golang:1.15-alpine3.13 AS build',
        'RUN go build -o /out/app .',
        'FROM docker.io/library/alpine:3.12.1 AS base',
        'RUN apk add --no-cache ca-certificates',
        'FROM base',
        'COPY --from=build /out/app /app',
      ),
      findings: [
        {
          messageId: 'newerAlpine',
          line: 6,
          message: /built on Alpine 3\.13 .* an older Alpine 3\.12/,
        },
      ],
      output: lines(
        'FROM golang:1.15-alpine3.13 AS build',
        'RUN go build -o /out/app .',
        'FROM docker.io/library/alpine:3.13 AS base',
        'RUN apk add --no-cache ca-certificates',
        'FROM base',
        'COPY --from=build /out/app /app',
      ),
    },
    {
      name: 'no fix for a runtime pinned by digest',
      code: lines(
        ...build('golang:1.22-alpine3.19'),
        'FROM alpine:3.18@sha256:' + 'a'.repeat(64),
        'COPY --from=build /out/app /app',
      ),
      findings: [{ messageId: 'newerAlpine', line: 7 }],
      output: null,
    },
  ],
});
