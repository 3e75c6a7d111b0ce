import { entrypointBinaryMissing } from '../../../server/src/core/rules/entrypoint-binary-missing';
import { lines, ruleTester } from '../../support/rule-tester';

const build = [
  'FROM golang:1.24 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app',
];

ruleTester(entrypointBinaryMissing, {
  valid: [
    {
      name: 'the copied path',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a bare name found through PATH',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12',
        'COPY --from=build /out/app /usr/local/bin/',
        'ENTRYPOINT ["app", "serve"]',
      ),
    },
    {
      name: 'a program the alpine base has',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/bin/sh", "-c", "/app"]',
      ),
    },
    {
      name: 'shell form is another rule’s concern',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT /server',
      ),
    },
    {
      name: 'a CMD on an unknown base may be arguments to its entrypoint',
      code: lines(
        ...build,
        'FROM example.com/base:1',
        'COPY --from=build /out/app /app',
        'CMD ["serve"]',
      ),
    },
    {
      name: 'an unknown base and no Go binary of that name',
      code: lines(
        ...build,
        'FROM debian:bookworm-slim',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/usr/bin/tini", "--", "/app"]',
      ),
    },
    {
      name: 'a RUN the analysis cannot follow could have installed it',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN ./install-tools.sh',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/usr/local/bin/tool"]',
      ),
    },
    {
      name: 'a final stage built on the build stage',
      code: lines(...build, 'FROM build AS dev', 'ENTRYPOINT ["/out/app"]'),
    },
    {
      name: 'copied into the WORKDIR / and run from there',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'WORKDIR /',
        'COPY --from=build /out/app .',
        'CMD ["./app"]',
      ),
    },
    {
      name: 'copied into . of distroless and run by absolute path',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static:nonroot',
        'WORKDIR /',
        'COPY --from=build /out/app .',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a whole directory of outputs',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/ ./cmd/app ./cmd/worker',
        'FROM scratch',
        'COPY --from=build /out/ /bin/',
        'ENTRYPOINT ["/bin/worker"]',
      ),
    },
    {
      name: 'an unseen context, and no Go binary of that name elsewhere',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /app',
        'COPY . .',
        'RUN go build -o server .',
        'ENTRYPOINT ["/app/bin/run"]',
      ),
    },
    {
      name: 'a known context that holds the file',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /app',
        'COPY . .',
        'RUN go build -o server .',
        'ENTRYPOINT ["/app/bin/server"]',
      ),
      context: ['go.mod', 'main.go', 'bin/server'],
    },
    {
      name: 'a program an ADD fetches from a URL, with the context known (it is not a context file)',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'ADD --chmod=755 https://example.com/releases/tool /usr/local/bin/',
        'ENTRYPOINT ["/usr/local/bin/tool", "/app"]',
      ),
      context: ['go.mod', 'cmd/app/main.go'],
    },
    {
      name: 'a program whose path has a blank, where the image has that file',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build ["/out/app", "/opt/my app"]',
        'ENTRYPOINT ["/opt/my app", "serve"]',
      ),
    },
    {
      name: 'a string with blanks whose first word the image is not known to have',
      code: lines(
        ...build,
        'FROM example.com/base:1',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["tini --"]',
      ),
    },
  ],
  invalid: [
    {
      name: 'a command line as one string: the built binary and its argument',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /app',
        'COPY . .',
        'RUN go build -o main .',
        'CMD ["./main server"]',
      ),
      context: ['go.mod', 'main.go'],
      findings: [
        {
          messageId: 'commandLineAsProgram',
          line: 5,
          column: 6,
          data: {
            instruction: 'CMD',
            program: './main server',
            first: './main',
            path: '/app/main',
          },
          message:
            /^CMD runs a program named "\.\/main server": exec form does not split words.*the image has \.\/main \(\/app\/main\) but no "\.\/main server"/,
        },
      ],
      output: lines(
        'FROM golang:1.24',
        'WORKDIR /app',
        'COPY . .',
        'RUN go build -o main .',
        'CMD ["./main", "server"]',
      ),
    },
    {
      name: 'a command line as one string, with the whole context copied and unseen',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /app',
        'COPY . .',
        'RUN go build -o main .',
        'ENTRYPOINT ["./main serve"]',
      ),
      findings: [
        {
          messageId: 'commandLineAsProgram',
          line: 5,
          message:
            /no "\.\/main serve" \(unless the build context, copied in at line 3, holds a file main serve\)/,
        },
      ],
    },
    {
      name: 'an ENTRYPOINT with flags in the one string, on scratch',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT [ "/app  -port 8080" ]',
      ),
      findings: [{ messageId: 'commandLineAsProgram', line: 7, column: 14 }],
      output: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT [ "/app", "-port", "8080" ]',
      ),
    },
    {
      name: 'quotes inside the string: reported, but no guess at the words',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app --name \'a b\'"]',
      ),
      findings: [{ messageId: 'commandLineAsProgram', line: 7 }],
      output: null,
    },
    {
      name: 'the binary under another directory, with the whole context copied and unseen',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /app',
        'COPY . .',
        'RUN go build -o server .',
        'ENTRYPOINT ["/app/bin/server"]',
      ),
      findings: [
        {
          messageId: 'binaryElsewhere',
          line: 5,
          column: 13,
          severity: 'warning',
          message:
            /^ENTRYPOINT runs "\/app\/bin\/server", but the Go binary is at \/app\/server: unless the build context holds a file bin\/server \(copied in at line 3\)/,
        },
      ],
      output: lines(
        'FROM golang:1.24',
        'WORKDIR /app',
        'COPY . .',
        'RUN go build -o server .',
        'ENTRYPOINT ["/app/server"]',
      ),
    },
    {
      name: 'scratch, a path nothing put there',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/server"]',
      ),
      findings: [
        {
          messageId: 'notInImage',
          line: 7,
          column: 13,
          message:
            /runs "\/server", which is not in the image.* No instruction puts it there and scratch does not have it.*copied to \/app \(line 6\)/,
        },
      ],
      output: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a bare name that is not on the PATH',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:nonroot',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["app"]',
      ),
      findings: [
        { messageId: 'notInImage', line: 7, message: /No instruction puts it on the PATH/ },
      ],
      output: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:nonroot',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a CMD without ENTRYPOINT on distroless',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/base-debian12',
        'COPY --from=build /out/app /bin/app',
        'CMD ["/app", "--port", "80"]',
      ),
      findings: [
        { messageId: 'notInImage', line: 7, data: { instruction: 'CMD', program: '/app' } },
      ],
      output: lines(
        ...build,
        'FROM gcr.io/distroless/base-debian12',
        'COPY --from=build /out/app /bin/app',
        'CMD ["/bin/app", "--port", "80"]',
      ),
    },
    {
      name: 'a base whose content is unknown, but the Go binary of that name sits elsewhere',
      code: lines(
        ...build,
        'FROM debian:bookworm-slim',
        'COPY --from=build /out/app /opt/app',
        'ENTRYPOINT ["/usr/local/bin/app"]',
      ),
      findings: [{ messageId: 'notInImage', line: 7, message: /copied to \/opt\/app/ }],
      output: lines(
        ...build,
        'FROM debian:bookworm-slim',
        'COPY --from=build /out/app /opt/app',
        'ENTRYPOINT ["/opt/app"]',
      ),
    },
    {
      name: 'alpine does not have it, lowercase',
      code: lines(
        ...build,
        'from alpine:3.20',
        'copy --from=build /out/app /usr/bin/app',
        'entrypoint ["/usr/local/bin/app"]',
      ),
      findings: [{ messageId: 'notInImage', line: 7 }],
      output: lines(
        ...build,
        'from alpine:3.20',
        'copy --from=build /out/app /usr/bin/app',
        'entrypoint ["/usr/bin/app"]',
      ),
    },
    {
      name: 'go install output copied, run at the wrong path',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'WORKDIR /src',
        'RUN go install ./cmd/api',
        'FROM scratch',
        'COPY --from=build /go/bin/api /usr/bin/api',
        'ENTRYPOINT ["/go/bin/api"]',
      ),
      findings: [{ messageId: 'notInImage', line: 6 }],
      output: lines(
        'FROM golang:1.24-alpine AS build',
        'WORKDIR /src',
        'RUN go install ./cmd/api',
        'FROM scratch',
        'COPY --from=build /go/bin/api /usr/bin/api',
        'ENTRYPOINT ["/usr/bin/api"]',
      ),
    },
  ],
});
