import { goToolchainInFinalStage } from '../../../server/src/core/rules/go-toolchain-in-final-stage';
import { lines, ruleTester } from '../../support/rule-tester';

ruleTester(goToolchainInFinalStage, {
  valid: [
    {
      name: 'a final stage that copies only gofmt from the golang image ships no toolchain',
      code: lines(
        'FROM golang:1.25 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/app .',
        'FROM alpine:3.22',
        'COPY --from=golang:1.25-alpine /usr/local/go/bin/gofmt /usr/local/bin/gofmt',
        'COPY --from=build /out/app /app',
        'CMD ["/app"]',
      ),
    },
    {
      name: 'a live-reload development image: air installed with go install, sources copied',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /go/src',
        'COPY ./ .',
        'RUN go install github.com/air-verse/air@latest',
        'CMD ["air", "-c", ".air.toml"]',
      ),
    },
    {
      name: 'a live-reload development image with the sources mounted at run time',
      code: lines(
        'FROM golang:1.24',
        'RUN go install github.com/air-verse/air@v1.61.7',
        'WORKDIR /app',
        'CMD ["air", "-c", ".air.toml"]',
      ),
    },
    {
      name: 'CompileDaemon in a shell-form ENTRYPOINT',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /app',
        'COPY . .',
        'RUN go install github.com/githubnemo/CompileDaemon@v1.4.0',
        'ENTRYPOINT CompileDaemon --build="go build -o app ." --command=./app',
      ),
    },
    {
      name: 'reflex running go run through sh -c',
      code: lines(
        'FROM golang:1.24-alpine',
        'WORKDIR /src',
        'COPY . .',
        'RUN go install github.com/cespare/reflex@v0.3.1',
        'CMD ["sh", "-c", "reflex -r \\.go$ -s -- go run ."]',
      ),
    },
    {
      name: 'a debugger that wraps a binary built in the image',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go install github.com/go-delve/delve/cmd/dlv@v1.24.0',
        'RUN go build -gcflags="all=-N -l" -o /app .',
        'CMD ["dlv", "exec", "/app", "--headless", "--listen=:40000", "--api-version=2"]',
      ),
    },
    {
      name: 'a debugger that wraps a prebuilt binary copied from another stage',
      code: lines(
        'FROM golang:1.24 AS build',
        'COPY . /src',
        'RUN cd /src && go build -o /app .',
        'FROM golang:1.24',
        'RUN go install github.com/go-delve/delve/cmd/dlv@v1.24.0',
        'COPY --from=build /app /app',
        'CMD ["dlv", "exec", "/app", "--headless", "--listen=:40000"]',
      ),
    },
    {
      name: 'go run with only go.mod and a config copied: the sources are mounted at run time',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /app',
        'COPY go.mod go.sum ./',
        'COPY config.yaml .env ./',
        'RUN go mod download',
        'CMD ["go", "run", "."]',
      ),
    },
    {
      name: 'a multi-stage build with a distroless final stage',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM gcr.io/distroless/static-debian13:nonroot',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a builder image that ships the toolchain on purpose (no program is run)',
      code: lines(
        'FROM golang:1.24',
        'RUN go install golang.org/x/tools/gopls@v0.18.1',
        'WORKDIR /workspace',
      ),
    },
    {
      name: 'a test image whose command is not the built program',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build ./...',
        'CMD ["go", "test", "./..."]',
      ),
    },
    {
      name: 'go run of sources mounted at run time (nothing copied in)',
      code: lines('FROM golang:1.24-alpine', 'WORKDIR /src', 'ENTRYPOINT ["go", "run", "main.go"]'),
    },
    {
      name: 'a Dockerfile that builds no Go',
      code: lines('FROM node:22', 'COPY . .', 'RUN npm ci', 'CMD ["node", "server.js"]'),
    },
    {
      name: 'make ran, but the start command is a script of the sources',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN make', 'CMD ["./run.sh"]'),
    },
    {
      name: 'make ran, but the started binary was copied in as it is',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY bin/tool /src/bin/tool',
        'RUN make generate',
        'CMD ["/src/bin/tool"]',
      ),
    },
    {
      name: 'make ran elsewhere than where the started binary is',
      code: lines(
        'FROM golang:1.24',
        'COPY . /src',
        'RUN cd /src && make',
        'ENTRYPOINT ["/opt/tool/run"]',
      ),
    },
    {
      name: 'go install ./... cross-compiled: the binaries are not in GOBIN itself',
      code: lines(
        'FROM golang:1.24-alpine',
        'WORKDIR /go/src/app',
        'COPY . .',
        'RUN GOARCH=arm64 go install ./...',
        'CMD ["app"]',
      ),
    },
    {
      name: 'cp of something that is not the built binary',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /build',
        'COPY . .',
        'RUN go build -o main .',
        'RUN cp /build/run.sh /usr/local/bin/',
        'CMD ["run.sh"]',
      ),
    },
    {
      name: 'a golang-named image that is not the toolchain',
      code: lines(
        'FROM ghcr.io/example/golang-cross:1.24',
        'RUN go build -o /out/app .',
        'CMD ["/out/app"]',
      ),
    },
  ],
  invalid: [
    {
      name: 'a final stage that copies the golang toolchain in and builds there ships it',
      code: lines(
        'FROM alpine:3.22',
        'RUN apk add --no-cache make',
        'COPY --from=golang:1.25-alpine /usr/local/go/ /usr/local/go/',
        'ENV PATH="/usr/local/go/bin:${PATH}"',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /usr/local/bin/app .',
        'CMD ["app"]',
      ),
      findings: [
        {
          messageId: 'copiesToolchain',
          line: 3,
          column: 13,
          data: { image: 'golang:1.25-alpine' },
          message:
            /^The final stage copies the Go toolchain in from golang:1\.25-alpine \(line 3\) and builds \/usr\/local\/bin\/app and runs it, with the sources\. Build in a stage of its own/,
        },
      ],
    },
    {
      name: 'a program installed from its module path: the toolchain ships, no sources are claimed',
      code: lines(
        'FROM golang:1.24',
        'RUN go install github.com/example/server/cmd/server@v1.2.3',
        'ENTRYPOINT ["server"]',
      ),
      findings: [
        {
          messageId: 'shipsToolchain',
          line: 1,
          message:
            /ships the Go toolchain: .* builds \/go\/bin\/server and runs it\. Build in one stage/,
        },
      ],
    },
    {
      name: 'a binary built from sources bind-mounted for the build only: no sources are claimed',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'RUN --mount=type=bind,target=. go build -o /usr/local/bin/app .',
        'CMD ["app"]',
      ),
      findings: [
        {
          messageId: 'shipsToolchain',
          line: 1,
          data: { image: 'golang:1.24' },
        },
      ],
    },
    {
      name: 'sources cloned with git ship too',
      code: lines(
        'FROM golang:1.24',
        'RUN git clone https://github.com/example/app /src',
        'RUN cd /src && go build -o /usr/local/bin/app .',
        'CMD ["app"]',
      ),
      findings: [{ messageId: 'shipsToolchainAndSources', line: 1 }],
    },
    {
      name: 'a single-stage build, converted to multi-stage',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o server ./cmd/server',
        'EXPOSE 8080',
        'CMD ["./server"]',
      ),
      findings: [
        {
          messageId: 'shipsToolchainAndSources',
          line: 1,
          column: 6,
          message: /based on golang:1\.24 and builds \/src\/server and runs it/,
        },
      ],
      // Without the build context: the binary at its path in the same working directory, the
      // rest of that directory without the sources, root as before (what it writes is unknown).
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -o server ./cmd/server',
        '',
        '# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).',
        'FROM gcr.io/distroless/static-debian13',
        'WORKDIR /src',
        'COPY --from=build /src/server /src/server',
        'COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src /src',
        'EXPOSE 8080',
        'CMD ["./server"]',
      ),
    },
    {
      name: 'go install and a program found through the golang PATH, alpine variant',
      code: lines(
        'FROM golang:1.24-alpine',
        'WORKDIR /src',
        'COPY . .',
        'RUN go install ./cmd/api',
        'ENTRYPOINT ["api"]',
      ),
      findings: [
        { messageId: 'shipsToolchainAndSources', line: 1, message: /builds \/go\/bin\/api/ },
      ],
    },
    {
      name: 'go run of copied sources',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'CMD ["go", "run", "."]'),
      findings: [
        {
          messageId: 'shipsToolchainAndSources',
          line: 1,
          message: /runs the program with `go run`/,
        },
      ],
    },
    {
      name: 'a final stage inherited from the build stage, lowercase',
      code: lines(
        'from golang:1.24 as build',
        'workdir /src',
        'copy . .',
        'run go build -o /bin/app .',
        'from build as final',
        'entrypoint ["/bin/app"]',
      ),
      findings: [
        {
          messageId: 'shipsToolchainAndSources',
          line: 5,
          column: 6,
          message: /based on golang:1\.24/,
        },
      ],
    },
    {
      name: 'a tag set through an ARG and Chainguard’s go image',
      code: lines(
        'ARG GO_IMAGE=cgr.dev/chainguard/go:latest',
        'FROM ${GO_IMAGE}',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /app .',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'shipsToolchainAndSources', line: 2 }],
    },
    {
      name: 'a binary that make writes in the WORKDIR and the command starts',
      code: lines(
        'FROM golang:1.24-alpine',
        'RUN apk add --no-cache make',
        'WORKDIR /src',
        'COPY . .',
        'RUN make build',
        'CMD ["./bin/server"]',
      ),
      findings: [
        {
          messageId: 'shipsToolchainAndSources',
          line: 1,
          message: /runs \/src\/bin\/server, which `make` builds there/,
        },
      ],
      output: lines(
        '# syntax=docker/dockerfile:1',
        'FROM golang:1.24-alpine AS build',
        'RUN apk add --no-cache make',
        'WORKDIR /src',
        'COPY . .',
        'RUN make build',
        '',
        '# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).',
        'FROM gcr.io/distroless/static-debian13',
        'WORKDIR /src',
        'COPY --from=build /src/bin/server /src/bin/server',
        'COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src /src',
        'CMD ["./bin/server"]',
      ),
    },
    {
      name: 'the built binary started through sh -c',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /bin/app .',
        'CMD ["sh", "-c", "exec /bin/app --port $PORT"]',
      ),
      findings: [
        {
          messageId: 'shipsToolchainAndSources',
          line: 1,
          message: /builds \/bin\/app and runs it/,
        },
      ],
    },
    {
      name: 'the built binary copied elsewhere with cp',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /build',
        'COPY . .',
        'RUN go build -o main .',
        'WORKDIR /dist',
        'RUN cp /build/main .',
        'CMD ["/dist/main"]',
      ),
      findings: [
        {
          messageId: 'shipsToolchainAndSources',
          line: 1,
          message: /builds \/dist\/main and runs it/,
        },
      ],
    },
    {
      name: 'go install ./... and a program started from GOBIN',
      code: lines(
        'FROM golang:1.24-alpine',
        'WORKDIR /go/src/app',
        'COPY . .',
        'RUN go install -v ./...',
        'CMD ["app"]',
      ),
      findings: [
        {
          messageId: 'shipsToolchainAndSources',
          line: 1,
          message: /builds \/go\/bin\/app and runs it/,
        },
      ],
    },
    {
      name: 'the built binary started by an init wrapper from CMD',
      code: lines(
        'FROM golang:1.24-alpine',
        'RUN apk add --no-cache tini',
        'COPY . /src',
        'RUN cd /src && go build -o /usr/local/bin/api .',
        'ENTRYPOINT ["/sbin/tini", "--"]',
        'CMD ["api"]',
      ),
      findings: [
        {
          messageId: 'shipsToolchainAndSources',
          line: 1,
          message: /builds \/usr\/local\/bin\/api and runs it/,
        },
      ],
    },
    {
      name: 'a binary a build script writes after cd',
      code: lines(
        'FROM golang:1.24',
        'RUN git clone https://example.com/app.git /go/src/app',
        'RUN cd /go/src/app && ./scripts/build.sh',
        'ENTRYPOINT ["/go/src/app/app"]',
      ),
      findings: [
        {
          messageId: 'shipsToolchainAndSources',
          line: 1,
          message: /which `\.\/scripts\/build\.sh` builds there/,
        },
      ],
    },
    {
      name: 'a conversion that is refused says why in the message',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'ARG CGO',
        'RUN CGO_ENABLED=$CGO go build -o /app .',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'shipsToolchainAndSources',
          line: 1,
          message: /"Convert to multi-stage" is not offered: CGO_ENABLED is set from a variable/,
        },
      ],
      output: null,
    },
  ],
});
