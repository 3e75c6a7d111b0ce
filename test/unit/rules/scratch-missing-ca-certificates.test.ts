import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scratchMissingCaCertificates } from '../../../server/src/core/rules/scratch-missing-ca-certificates';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

const build = [
  'FROM golang:1.24 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app',
];
const GO_MOD = 'module example.com/app\n\ngo 1.24\n';
const program = (...imports: string[]) =>
  `package main\n\nimport (\n${imports.map((i) => `\t_ "${i}"\n`).join('')})\n\nfunc main() {}\n`;
const certs = 'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/';

ruleTester(scratchMissingCaCertificates, {
  valid: [
    {
      name: 'a scratch image of a file a Go tool rendered: it ships no Go program',
      code: lines(
        'FROM golang:1.26 AS build',
        'RUN go install github.com/a8m/envsubst/cmd/envsubst@v1.4.3',
        'COPY compose.yml.template /compose.yml.template',
        'RUN envsubst < /compose.yml.template > /compose.yml',
        'FROM scratch',
        'COPY --from=build /compose.yml /compose.yml',
      ),
    },
    {
      name: 'the bundle is copied',
      code: lines(
        ...build,
        'FROM scratch',
        certs,
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'all of /etc/ssl/ is copied',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /etc/ssl/ /etc/ssl/',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'the certs directory in JSON form',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build ["/etc/ssl/certs", "/etc/ssl/certs"]',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'the Alpine bundle path, from an image',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=alpine:3.20 /etc/ssl/cert.pem /etc/ssl/cert.pem',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'SSL_CERT_FILE points elsewhere',
      code: lines(
        ...build,
        'FROM scratch',
        'ENV SSL_CERT_FILE=/certs/roots.pem',
        'COPY certs/roots.pem /certs/roots.pem',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'the program embeds roots (go.mod requires x509roots/fallback)',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      goMod:
        'module example.com/app\n\ngo 1.24\n\nrequire (\n\tgolang.org/x/crypto/x509roots/fallback v0.0.0-20250101000000-abcdef123456\n)\n',
    },
    {
      name: 'a program read whole that uses the standard library alone, none of its TLS clients',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      files: {
        'go.mod': GO_MOD,
        'cmd/app/main.go': program('example.com/app/internal/echo', 'net'),
        'internal/echo/echo.go': 'package echo\n\nimport "io"\n',
      },
    },
    {
      name: 'distroless ships the bundle',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:nonroot',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'the bundle copied in the scratch stage the final stage is built on',
      code: lines(
        ...build,
        'FROM scratch AS runtime',
        certs,
        'FROM runtime',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a prebuilt binary (GoReleaser style)',
      code: lines(
        'FROM golang:1.24 AS lint',
        'RUN go vet ./...',
        'FROM scratch',
        'COPY app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
  ],
  invalid: [
    {
      name: 'a program read whole that imports net/http, or a package from elsewhere',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      files: { 'go.mod': GO_MOD, 'cmd/app/main.go': program('io', 'net/http/httputil') },
      findings: [{ messageId: 'noCaCertificates', line: 5 }],
    },
    {
      name: 'a program that imports a package from elsewhere',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      files: { 'go.mod': GO_MOD, 'cmd/app/main.go': program('net', 'github.com/lib/pq') },
      findings: [{ messageId: 'noCaCertificates', line: 5 }],
    },
    {
      name: 'scratch with only the binary',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'noCaCertificates',
          line: 5,
          column: 6,
          severity: 'info',
          message:
            /scratch is empty and this stage copies in no CA certificates.*x509: certificate signed by unknown authority.*COPY --from=build \/etc\/ssl\/certs\/ca-certificates\.crt \/etc\/ssl\/certs\/.*If the program makes no outbound TLS connections/,
        },
      ],
      output: lines(
        ...build,
        'FROM scratch',
        certs,
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a final FROM built on a scratch stage: the COPY goes after the final FROM',
      code: lines(
        ...build,
        'FROM scratch AS runtime',
        'ENTRYPOINT ["/app"]',
        'FROM runtime',
        'COPY --from=build /out/app /app',
      ),
      findings: [{ messageId: 'noCaCertificates', line: 7, column: 6 }],
      output: lines(
        ...build,
        'FROM scratch AS runtime',
        'ENTRYPOINT ["/app"]',
        'FROM runtime',
        certs,
        'COPY --from=build /out/app /app',
      ),
    },
    {
      name: 'an unnamed build stage is referred to by index; CRLF is kept',
      code: [
        'FROM golang:1.24-alpine',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM scratch',
        'COPY --from=0 /out/app /app',
        'ENTRYPOINT ["/app"]',
        '',
      ].join('\r\n'),
      findings: [{ messageId: 'noCaCertificates', line: 3 }],
      output: [
        'FROM golang:1.24-alpine',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM scratch',
        'COPY --from=0 /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
        'COPY --from=0 /out/app /app',
        'ENTRYPOINT ["/app"]',
        '',
      ].join('\r\n'),
    },
    {
      name: 'lowercase instructions',
      code: lines(
        'from golang:1.24 as build',
        'run CGO_ENABLED=0 go build -o /out/app .',
        'from scratch',
        'copy --from=build /out/app /app',
        'entrypoint ["/app"]',
      ),
      findings: [{ messageId: 'noCaCertificates', line: 3 }],
      output: lines(
        'from golang:1.24 as build',
        'run CGO_ENABLED=0 go build -o /out/app .',
        'from scratch',
        'copy --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
        'copy --from=build /out/app /app',
        'entrypoint ["/app"]',
      ),
    },
    {
      name: 'a binary built by make in a Go build stage',
      code: lines(
        'FROM golang:1.24 AS builder',
        'COPY . .',
        'RUN make build',
        'FROM scratch',
        'COPY --from=builder /go/bin/app /bin/app',
        'ENTRYPOINT ["/bin/app"]',
      ),
      findings: [{ messageId: 'noCaCertificates', line: 4 }],
      output: lines(
        'FROM golang:1.24 AS builder',
        'COPY . .',
        'RUN make build',
        'FROM scratch',
        'COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
        'COPY --from=builder /go/bin/app /bin/app',
        'ENTRYPOINT ["/bin/app"]',
      ),
    },
    {
      name: 'no stage known to hold the bundle: no fix',
      code: lines(
        'FROM cgr.dev/chainguard/go AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        { messageId: 'noCaCertificates', line: 3, message: /<a stage with ca-certificates>/ },
      ],
      output: null,
    },
    {
      name: 'a stage that installs ca-certificates is used when the builder has none',
      code: lines(
        'FROM cgr.dev/chainguard/go AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM debian:bookworm-slim AS certs',
        'RUN apt-get update && apt-get install -y ca-certificates',
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'noCaCertificates', line: 5 }],
      output: lines(
        'FROM cgr.dev/chainguard/go AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM debian:bookworm-slim AS certs',
        'RUN apt-get update && apt-get install -y ca-certificates',
        'FROM scratch',
        'COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
  ],
});

test('scratch-missing-ca-certificates: the fix only adds the bundle, so it is safe', () => {
  const [finding] = runRule(
    scratchMissingCaCertificates,
    lines(...build, 'FROM scratch', 'COPY --from=build /out/app /app', 'ENTRYPOINT ["/app"]'),
  );
  assert.equal(finding.fixes[0].safe, true);
});
