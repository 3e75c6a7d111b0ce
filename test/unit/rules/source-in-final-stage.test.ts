import { sourceInFinalStage } from '../../../server/src/core/rules/source-in-final-stage';
import { lines, ruleTester } from '../../support/rule-tester';

const build = [
  'FROM golang:1.24 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app',
];
const binary = 'COPY --from=build /out/app /app';
const entrypoint = 'ENTRYPOINT ["/app"]';

ruleTester(sourceInFinalStage, {
  valid: [
    {
      name: 'only the binary',
      code: lines(...build, 'FROM scratch', binary, entrypoint),
    },
    {
      name: 'run-time assets from the context, by name',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY ./static /static',
        'COPY config.yaml /etc/app/',
        binary,
        entrypoint,
      ),
    },
    {
      name: 'a subdirectory of the sources (templates)',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /src/web/templates /web/templates',
        binary,
        entrypoint,
      ),
    },
    {
      name: 'a go install output under GOPATH',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go install example.com/tool@v1.2.3',
        'FROM alpine:3.20',
        'COPY --from=build /go/bin/tool /usr/local/bin/tool',
        'ENTRYPOINT ["tool"]',
      ),
    },
    {
      name: 'the binary built inside the source directory, copied alone',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /go/src/github.com/acme/app',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -o app .',
        'FROM alpine:3.20',
        'COPY --from=build /go/src/github.com/acme/app/app /usr/local/bin/app',
        'ENTRYPOINT ["app"]',
      ),
    },
    {
      name: 'a single-stage build on golang (go-toolchain-in-final-stage)',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /bin/app .',
        'CMD ["/bin/app"]',
      ),
    },
    {
      name: 'a delve debug image keeps the sources on purpose',
      code: lines(
        ...build,
        'FROM debian:bookworm-slim',
        'COPY --from=build /src /src',
        binary,
        'CMD ["dlv", "exec", "/app", "--headless"]',
      ),
    },
    {
      name: 'a final stage that builds Go itself needs its sources',
      code: lines(
        'FROM golang:1.24 AS tools',
        'RUN go install example.com/gen@v1.0.0',
        'FROM alpine:3.20',
        'RUN apk add --no-cache go',
        'COPY --from=tools /go/bin/gen /usr/local/bin/gen',
        'COPY . .',
        'RUN go build -o /app .',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a context without Go code (known from the build context)',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN git clone https://example.com/app.git /src && cd /src && CGO_ENABLED=0 go build -o /out/app .',
        'FROM alpine:3.20',
        'COPY . /etc/app/',
        binary,
        entrypoint,
      ),
      context: ['config.yaml', 'static/index.html'],
    },
    {
      name: 'a context the Go build does not read from',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN git clone https://example.com/app.git /src && cd /src && CGO_ENABLED=0 go build -o /out/app .',
        'FROM alpine:3.20',
        'COPY . /etc/app/',
        binary,
        entrypoint,
      ),
    },
    {
      name: 'go.mod and go.sum kept for dependency scanning (not the source tree)',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /src/go.mod /src/go.sum /src/',
        binary,
        entrypoint,
      ),
    },
    {
      name: 'a heredoc COPY writes a file, it copies nothing from the context',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY <<EOF /etc/app/config.yaml',
        'listen: :8080',
        'EOF',
        binary,
        entrypoint,
      ),
    },
    {
      name: 'a remote ADD',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'ADD https://example.com/data.tar.gz /data/',
        binary,
        entrypoint,
      ),
    },
    {
      name: 'a Node image',
      code: lines(
        'FROM node:20 AS build',
        'COPY . .',
        'RUN npm ci',
        'FROM node:20-slim',
        'COPY . .',
        'CMD ["node", "index.js"]',
      ),
    },
    {
      name: 'a Go project whose final stage only copies a prebuilt binary',
      code: lines(
        'FROM golang:1.24 AS test',
        'COPY . .',
        'RUN go test ./...',
        'FROM alpine:3.20',
        'COPY . /app',
        'ENTRYPOINT ["/app/bin/server"]',
      ),
    },
  ],
  invalid: [
    {
      name: 'COPY . . in the runtime stage',
      code: lines(...build, 'FROM alpine:3.20', 'COPY . .', binary, entrypoint),
      findings: [
        {
          messageId: 'wholeContext',
          line: 6,
          column: 6,
          message:
            /`COPY \. \.` copies the whole build context into the runtime image.*\.git.*Copy only the binary \(`COPY --from=build \/out\/app …`\)/,
        },
      ],
      output: null,
    },
    {
      // A mount's type is `bind` when not written (and BuildKit reads it in any case).
      name: 'the Go build reads the context through a bind mount of the default type',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN --mount=target=. CGO_ENABLED=0 go build -o /out/app ./cmd/app',
        'FROM alpine:3.20',
        'COPY . /app',
        binary,
        entrypoint,
      ),
      findings: [{ messageId: 'wholeContext', line: 5 }],
    },
    {
      name: 'the Go build reads the context through a bind mount, type in capitals',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN --mount=type=BIND,target=. CGO_ENABLED=0 go build -o /out/app ./cmd/app',
        'FROM alpine:3.20',
        'COPY . /app',
        binary,
        entrypoint,
      ),
      findings: [{ messageId: 'wholeContext', line: 5 }],
    },
    {
      name: 'ADD . /app',
      code: lines(...build, 'FROM alpine:3.20', 'ADD . /app', binary, entrypoint),
      findings: [{ messageId: 'wholeContext', line: 6, column: 5, data: { copy: 'ADD . /app' } }],
    },
    {
      name: 'COPY ./ /app',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:nonroot',
        'COPY ./ /app',
        binary,
        entrypoint,
      ),
      findings: [{ messageId: 'wholeContext', line: 6, column: 6 }],
    },
    {
      name: 'COPY --link . .',
      code: lines(...build, 'FROM scratch', 'COPY --link . .', binary, entrypoint),
      findings: [{ messageId: 'wholeContext', line: 6, column: 13 }],
    },
    {
      name: 'JSON form',
      code: lines(...build, 'FROM scratch', 'COPY [".", "/app/"]', binary, entrypoint),
      findings: [{ messageId: 'wholeContext', line: 6, column: 7 }],
    },
    {
      name: 'lowercase, with --chown',
      code: lines(
        'from golang:1.24 as build',
        'workdir /src',
        'copy . .',
        'run CGO_ENABLED=0 go build -o /out/app .',
        'from alpine:3.20',
        'copy --chown=app:app . /srv',
        'copy --from=build /out/app /app',
        'entrypoint ["/app"]',
      ),
      findings: [
        {
          messageId: 'wholeContext',
          line: 6,
          column: 22,
          data: { copy: 'copy --chown=app:app . /srv' },
        },
      ],
    },
    {
      name: 'across a line continuation',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --chown=65532:65532 \\',
        '    . /srv/',
        binary,
        entrypoint,
      ),
      findings: [
        {
          messageId: 'wholeContext',
          line: 7,
          column: 5,
          data: { copy: 'COPY --chown=65532:65532 . /srv/' },
        },
      ],
    },
    {
      name: 'in the stage the final stage is built on',
      code: lines(
        ...build,
        'FROM alpine:3.20 AS base',
        'COPY . /app',
        'FROM base',
        binary,
        entrypoint,
      ),
      findings: [{ messageId: 'wholeContext', line: 6, column: 6 }],
    },
    {
      name: 'the build stage’s source tree',
      code: lines(...build, 'FROM alpine:3.20', 'COPY --from=build /src /src', binary, entrypoint),
      findings: [
        {
          messageId: 'heavyCopy',
          line: 6,
          column: 19,
          message:
            /`COPY --from=build \/src` puts the Go sources of stage build into the runtime image\. It copies the Go sources of stage build \(its module root \/src\).*`COPY --from=build \/out\/app …`/,
        },
      ],
    },
    {
      name: 'the module cache',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /go/pkg/mod /go/pkg/mod',
        binary,
        entrypoint,
      ),
      findings: [{ messageId: 'heavyCopy', line: 6, column: 19, message: /the Go module cache/ }],
    },
    {
      name: 'the build cache',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /root/.cache/go-build /root/.cache/go-build',
        binary,
        entrypoint,
      ),
      findings: [{ messageId: 'heavyCopy', line: 6, column: 19, message: /the Go build cache/ }],
    },
    {
      name: 'the whole GOPATH',
      code: lines(...build, 'FROM alpine:3.20', 'COPY --from=build /go /go', binary, entrypoint),
      findings: [{ messageId: 'heavyCopy', line: 6, column: 19, message: /GOPATH \(\/go\)/ }],
    },
    {
      name: 'the whole filesystem of the build stage',
      code: lines(...build, 'FROM alpine:3.20', 'COPY --from=build / /', entrypoint),
      findings: [
        {
          messageId: 'heavyCopy',
          line: 6,
          column: 19,
          message: /the whole filesystem of stage build/,
        },
      ],
    },
    {
      name: 'a GOPATH-style source tree, copied through its parent',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /go/src/github.com/acme/app',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -o app .',
        'FROM alpine:3.20',
        'COPY --from=build /go/src /go/src',
        'COPY --from=build /go/src/github.com/acme/app/app /usr/local/bin/app',
        'ENTRYPOINT ["app"]',
      ),
      findings: [
        {
          messageId: 'heavyCopy',
          line: 6,
          column: 19,
          message:
            /Go sources of stage build \(its module root \/go\/src\/github\.com\/acme\/app\).*COPY --from=build \/go\/src\/github\.com\/acme\/app\/app …/,
        },
      ],
    },
    {
      name: 'a moved module cache (GOMODCACHE)',
      code: lines(
        'FROM golang:1.24 AS build',
        'ENV GOMODCACHE=/cache/mod',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM scratch',
        'COPY --from=build /cache /cache',
        binary,
        entrypoint,
      ),
      findings: [{ messageId: 'heavyCopy', line: 9, column: 19, message: /the Go module cache/ }],
    },
  ],
});
