import { copyFromMissingArtifact } from '../../../server/src/core/rules/copy-from-missing-artifact';
import { lines, ruleTester } from '../../support/rule-tester';

const goMod = 'module example.com/hello\n\ngo 1.24\n';

ruleTester(copyFromMissingArtifact, {
  valid: [
    {
      name: 'go install on an image not known here: its GOPATH is not known either',
      code: lines(
        'FROM example/rocksdb-dev-env AS build',
        'ADD . /go/src/example.com/db',
        'RUN cd /go/src/example.com/db/cmd/db && go install',
        'FROM alpine:3.22',
        'COPY --from=build /go/bin/db /usr/bin/',
      ),
    },
    {
      name: 'the exact output path',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
        'FROM scratch',
        'COPY --from=build /out/app /app',
      ),
    },
    {
      name: 'the directory holding the output',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
        'FROM scratch',
        'COPY --from=build /out/ /usr/local/bin/',
      ),
    },
    {
      name: '-o into a directory with a package pattern',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/ ./cmd/...',
        'FROM scratch',
        'COPY --from=build /out/server /server',
      ),
    },
    {
      name: 'go install writes to $GOPATH/bin',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN go install ./cmd/app',
        'FROM scratch',
        'COPY --from=build /go/bin/app /app',
      ),
    },
    {
      name: 'go install of a remote tool at a version',
      code: lines(
        'FROM golang:1.24 AS tools',
        'RUN go install github.com/go-delve/delve/cmd/dlv@v1.23.0',
        'FROM scratch',
        'COPY --from=tools /go/bin/dlv /dlv',
      ),
    },
    {
      name: 'go build without -o names the binary after the package',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN go build ./cmd/server',
        'FROM scratch',
        'COPY --from=build /src/server /server',
      ),
    },
    {
      name: 'go build of the module root names the binary after the module path',
      goMod,
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build',
        'FROM scratch',
        'COPY --from=build /src/hello /hello',
      ),
    },
    {
      name: 'an unrelated path (CA certificates)',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
        'FROM scratch',
        'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
      ),
    },
    {
      name: 'an output written into /: the directories every base image has are not missing',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN go build -o /agent . && rm -rf /tmp/*',
        'FROM scratch',
        'COPY --from=build /agent /agent',
        'COPY --from=build /tmp /tmp',
        'COPY --from=build /usr /usr',
        'COPY --from=build /srv /srv',
      ),
    },
    {
      name: 'something the analysis cannot follow (make) could have written it',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app . && make package',
        'FROM scratch',
        'COPY --from=build /out/server /server',
      ),
    },
    {
      name: 'a directory the unknown build context filled',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o app .',
        'FROM scratch',
        'COPY --from=build /src/server /server',
      ),
    },
    {
      name: 'a file the known build context holds',
      context: ['go.mod', 'main.go', 'server'],
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o app .',
        'FROM scratch',
        'COPY --from=build /src/server /server',
      ),
    },
    {
      name: 'an output named by a variable',
      code: lines(
        'FROM golang:1.24 AS build',
        'ARG NAME',
        'RUN go build -o /out/$NAME .',
        'FROM scratch',
        'COPY --from=build /out/server /server',
      ),
    },
    {
      name: 'exec-form RUN',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN ["go", "build", "-o", "/out/app", "."]',
        'FROM scratch',
        'COPY --from=build /out/app /app',
      ),
    },
    {
      name: 'a heredoc, a chain and sh -c',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN <<EOF',
        'set -e',
        'cd /src && go build -o /out/a ./cmd/a',
        'EOF',
        'RUN sh -c "cd /src && go build -o /out/b ./cmd/b"',
        'FROM scratch',
        'COPY --from=build /out/a /a',
        'COPY --from=build /out/b /b',
      ),
    },
    {
      name: 'a stage inherited through FROM <stage>',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
        'FROM build AS test',
        'RUN go vet ./...',
        'FROM scratch',
        'COPY --from=test /out/app /app',
      ),
    },
    {
      name: 'an external image',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
        'FROM scratch',
        'COPY --from=example.com/tools:1 /out/other /other',
      ),
    },
    {
      name: 'a known context that holds the file',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /app',
        'COPY . .',
        'RUN go build -o server .',
        'FROM alpine:3.20',
        'COPY --from=build /app/bin/server /server',
      ),
      context: ['go.mod', 'main.go', 'bin/server'],
    },
    {
      name: 'an unseen context: the package directory of that name',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /app',
        'COPY . .',
        'RUN go build -o /app/server ./internal/server',
        'FROM alpine:3.20',
        'COPY --from=build /app/internal/server /srv',
      ),
    },
    {
      name: 'an unseen context: a cmd/<name> directory',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /app',
        'COPY . .',
        'RUN go build -o server ./cmd/server',
        'FROM alpine:3.20',
        'COPY --from=build /app/cmd/server /srv',
      ),
    },
    {
      name: 'an unseen context and a RUN that moves files',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /app',
        'COPY . .',
        'RUN go build -o server . && mv server bin/',
        'FROM alpine:3.20',
        'COPY --from=build /app/bin/server /server',
      ),
    },
    {
      name: 'an unseen context copied in part, not whole',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /app',
        'COPY . .',
        'COPY bin/ ./bin/',
        'RUN go build -o server .',
        'FROM alpine:3.20',
        'COPY --from=build /app/bin/server /server',
      ),
    },
  ],
  invalid: [
    {
      name: 'the binary under another directory, with the whole context copied and unseen',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /app',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -o server .',
        'FROM alpine:3.20',
        'COPY --from=build /app/bin/server /server',
      ),
      findings: [
        {
          messageId: 'mayBeMissing',
          line: 6,
          column: 19,
          severity: 'warning',
          message:
            /^Stage "build"'s Go build writes \/app\/server \(line 4\), not \/app\/bin\/server: unless the build context holds a file bin\/server \(copied in at line 3\), the build fails/,
        },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /app',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -o server .',
        'FROM alpine:3.20',
        'COPY --from=build /app/server /server',
      ),
    },
    {
      name: 'the same with a known context that does not hold it: an error',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /app',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -o server .',
        'FROM alpine:3.20',
        'COPY --from=build /app/bin/server /server',
      ),
      context: ['go.mod', 'main.go'],
      findings: [
        {
          messageId: 'neverWritten',
          line: 6,
          severity: 'error',
          data: { stage: '"build"', path: '/app/bin/server' },
        },
      ],
    },
    {
      name: 'a WORKDIR with blanks: the shell form cannot name the output, so no fix',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src/my app',
        'RUN go build -o server .',
        'FROM scratch',
        'COPY --from=build /out/server /app',
      ),
      findings: [
        {
          messageId: 'neverWritten',
          line: 5,
          message: /Its Go build writes \/src\/my app\/server/,
        },
      ],
      output: null,
    },
    {
      name: 'the same in exec form: the output is written as a JSON string',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src/my app',
        'RUN go build -o server .',
        'FROM scratch',
        'COPY --from=build ["/out/server", "/app"]',
      ),
      findings: [{ messageId: 'neverWritten', line: 5 }],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src/my app',
        'RUN go build -o server .',
        'FROM scratch',
        'COPY --from=build ["/src/my app/server", "/app"]',
      ),
    },
    {
      name: 'a renamed output: a file in the output directory that nothing wrote',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/server ./cmd/server',
        'FROM scratch',
        'COPY --from=build /out/app /app',
      ),
      findings: [
        {
          messageId: 'neverWritten',
          line: 6,
          column: 19,
          message: /never writes \/out\/app: .* Its Go build writes \/out\/server \(line 4\)/,
        },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/server ./cmd/server',
        'FROM scratch',
        'COPY --from=build /out/server /app',
      ),
    },
    {
      name: 'the output name at another path (relative -o resolved against WORKDIR)',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN go build -o app .',
        'FROM scratch',
        'COPY --from=build /app /app',
      ),
      findings: [{ messageId: 'neverWritten', line: 5, message: /Its Go build writes \/src\/app/ }],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN go build -o app .',
        'FROM scratch',
        'COPY --from=build /src/app /app',
      ),
    },
    {
      name: 'go build without -o looked for in $GOPATH/bin',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN go build ./cmd/server',
        'FROM scratch',
        'COPY --from=build /go/bin/server /server',
      ),
      findings: [{ messageId: 'neverWritten', line: 5 }],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN go build ./cmd/server',
        'FROM scratch',
        'COPY --from=build /src/server /server',
      ),
    },
    {
      name: 'go install looked for at the build path',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN go install ./cmd/app',
        'FROM scratch',
        'COPY --from=build /src/app /app',
      ),
      findings: [{ messageId: 'neverWritten', line: 5, message: /\/go\/bin\/app/ }],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN go install ./cmd/app',
        'FROM scratch',
        'COPY --from=build /go/bin/app /app',
      ),
    },
    {
      name: 'the module name from go.mod',
      goMod,
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go mod download',
        'COPY *.go ./',
        'RUN go build',
        'FROM scratch',
        'COPY --from=build /src/app /app',
      ),
      findings: [{ messageId: 'neverWritten', line: 8, message: /writes \/src\/hello/ }],
    },
    {
      name: 'a known build context that lacks the file',
      context: ['go.mod', 'main.go'],
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o app .',
        'FROM scratch',
        'COPY --from=build /src/server /server',
      ),
      findings: [{ messageId: 'neverWritten', line: 6, message: /writes \/src\/app/ }],
    },
    {
      name: 'lowercase, continuations, a numeric --from',
      code: lines(
        'from golang:1.24',
        'run CGO_ENABLED=0 \\',
        '    go build \\',
        '    -o /out/api ./cmd/api',
        'from scratch',
        'copy --from=0 /out/server /server',
      ),
      findings: [{ messageId: 'neverWritten', line: 6, data: { stage: 0, path: '/out/server' } }],
      output: lines(
        'from golang:1.24',
        'run CGO_ENABLED=0 \\',
        '    go build \\',
        '    -o /out/api ./cmd/api',
        'from scratch',
        'copy --from=0 /out/api /server',
      ),
    },
    {
      name: 'exec-form RUN and JSON-form COPY',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN ["go", "build", "-o", "/out/app", "."]',
        'FROM scratch',
        'COPY --from=build ["/out/api", "/api"]',
      ),
      findings: [{ messageId: 'neverWritten', line: 4 }],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN ["go", "build", "-o", "/out/app", "."]',
        'FROM scratch',
        'COPY --from=build ["/out/app", "/api"]',
      ),
    },
    {
      name: 'a heredoc build',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN <<EOF',
        'go build -o /out/api ./cmd/api',
        'EOF',
        'FROM scratch',
        'COPY --from=build /out/app /app',
      ),
      findings: [{ messageId: 'neverWritten', line: 6 }],
    },
  ],
});
