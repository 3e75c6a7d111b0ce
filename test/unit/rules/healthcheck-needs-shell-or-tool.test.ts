import { healthcheckNeedsShellOrTool } from '../../../server/src/core/rules/healthcheck-needs-shell-or-tool';
import { lines, ruleTester } from '../../support/rule-tester';

const build = ['FROM golang:1.24 AS build', 'RUN CGO_ENABLED=0 go build -o /out/app .'];
const distroless = [
  'FROM gcr.io/distroless/static-debian12:nonroot',
  'COPY --from=build /out/app /app',
];
const alpine = ['FROM alpine:3.20', 'COPY --from=build /out/app /app'];

ruleTester(healthcheckNeedsShellOrTool, {
  valid: [
    {
      name: 'exec form calling the Go binary on distroless',
      code: lines(
        ...build,
        ...distroless,
        'HEALTHCHECK CMD ["/app", "healthcheck"]',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'BusyBox wget on alpine',
      code: lines(
        ...build,
        ...alpine,
        'HEALTHCHECK CMD wget -q --spider http://localhost:8080/healthz || exit 1',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'curl installed with apk',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN apk add --no-cache curl',
        'COPY --from=build /out/app /app',
        'HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'curl on Debian (content not known)',
      code: lines(
        ...build,
        'FROM debian:bookworm-slim',
        'COPY --from=build /out/app /app',
        'HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'wget on distroless :debug (BusyBox in /busybox)',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:debug',
        'COPY --from=build /out/app /app',
        'HEALTHCHECK CMD ["wget", "-q", "--spider", "http://localhost:8080/"]',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'shell form on scratch calling the binary: shell-form-without-shell reports it',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'HEALTHCHECK CMD /app healthcheck',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a BusyBox applet on alpine the model does not list is not reported',
      code: lines(
        ...build,
        ...alpine,
        'HEALTHCHECK CMD lsof -i :8080 || exit 1',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'HEALTHCHECK NONE',
      code: lines(...build, ...distroless, 'HEALTHCHECK NONE', 'ENTRYPOINT ["/app"]'),
    },
    {
      name: 'a probe binary copied into scratch',
      code: lines(
        ...build,
        'RUN go install github.com/grpc-ecosystem/grpc-health-probe@v0.4.28',
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'COPY --from=build /go/bin/grpc-health-probe /bin/grpc_health_probe',
        'HEALTHCHECK CMD ["/bin/grpc_health_probe", "-addr=:9000"]',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'an nginx image is not a Go image',
      code: lines(
        'FROM node:20 AS build',
        'RUN npm ci && npm run build',
        'FROM nginx:alpine',
        'COPY --from=build /app/dist /usr/share/nginx/html',
        'HEALTHCHECK CMD curl -f http://localhost/ || exit 1',
      ),
    },
  ],
  invalid: [
    {
      name: 'exec-form curl on distroless',
      code: lines(
        ...build,
        ...distroless,
        'HEALTHCHECK CMD ["curl", "-f", "http://localhost:8080/healthz"]',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'missingProgram',
          line: 5,
          column: 18,
          message:
            /HEALTHCHECK runs "curl", which is not in this image.*unhealthy.*health-check mode.*\["\/app", "healthcheck"\] once \/app has it/,
        },
      ],
      output: null,
    },
    {
      name: 'the advice names the Go binary the image runs',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:nonroot',
        'COPY --from=build /out/app /usr/local/bin/server',
        'HEALTHCHECK CMD ["wget", "-qO-", "http://localhost:8080/"]',
        'ENTRYPOINT ["/usr/local/bin/server"]',
      ),
      findings: [
        {
          messageId: 'missingProgram',
          line: 5,
          column: 18,
          message:
            /HEALTHCHECK CMD \["\/usr\/local\/bin\/server", "healthcheck"\] once \/usr\/local\/bin\/server has it/,
        },
      ],
      output: null,
    },
    {
      name: 'bash on alpine',
      code: lines(
        ...build,
        ...alpine,
        'HEALTHCHECK CMD ["bash", "-c", "echo > /dev/tcp/localhost/8080"]',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'missingProgram', line: 5, column: 18, message: /runs "bash"/ }],
      output: null,
    },
    {
      name: 'exec-form wget on scratch',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'HEALTHCHECK --interval=30s CMD ["wget", "-qO-", "http://localhost/"]',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'missingProgram', line: 5, column: 33, message: /runs "wget"/ }],
      output: null,
    },
    {
      name: 'shell-form curl on scratch: the tool is missing, not only the shell',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'HEALTHCHECK CMD curl -f http://localhost/ || exit 1',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'missingProgram',
          line: 5,
          column: 17,
          message: /runs "curl".*also needs \/bin\/sh/,
        },
      ],
      output: null,
    },
    {
      name: 'a shell in exec form on distroless',
      code: lines(
        ...build,
        ...distroless,
        'HEALTHCHECK CMD ["/bin/sh", "-c", "wget -q --spider http://localhost/"]',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'missingProgram', line: 5, column: 18, message: /runs "\/bin\/sh"/ }],
    },
    {
      name: 'shell-form curl on alpine: install it',
      code: lines(
        ...build,
        ...alpine,
        'HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'missingProgram',
          line: 5,
          column: 17,
          message: /alpine:3\.20 has BusyBox wget but not curl.*apk add --no-cache curl/,
        },
      ],
      output: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN apk add --no-cache curl',
        'COPY --from=build /out/app /app',
        'HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'curl inside sh -c on alpine, with a continuation',
      code: lines(
        ...build,
        ...alpine,
        'HEALTHCHECK --interval=10s \\',
        '  CMD ["sh", "-c", "curl -fs http://localhost:8080/ || exit 1"]',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'missingProgram', line: 6, column: 21 }],
      output: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN apk add --no-cache curl',
        'COPY --from=build /out/app /app',
        'HEALTHCHECK --interval=10s \\',
        '  CMD ["sh", "-c", "curl -fs http://localhost:8080/ || exit 1"]',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a HEALTHCHECK inherited from the stage the final stage is built on',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:nonroot AS runtime',
        'HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]',
        'FROM runtime',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'missingProgram',
          line: 4,
          column: 18,
          message: /HEALTHCHECK \(inherited from stage runtime\) runs "curl"/,
        },
      ],
      output: null,
    },
    {
      name: 'lowercase and CRLF',
      code: [
        'from golang:1.24 as build',
        'run CGO_ENABLED=0 go build -o /out/app .',
        'from alpine:3.20',
        'copy --from=build /out/app /app',
        'healthcheck cmd curl -f http://localhost/',
        'entrypoint ["/app"]',
        '',
      ].join('\r\n'),
      findings: [{ messageId: 'missingProgram', line: 5, column: 17 }],
      output: [
        'from golang:1.24 as build',
        'run CGO_ENABLED=0 go build -o /out/app .',
        'from alpine:3.20',
        'run apk add --no-cache curl',
        'copy --from=build /out/app /app',
        'healthcheck cmd curl -f http://localhost/',
        'entrypoint ["/app"]',
        '',
      ].join('\r\n'),
    },
    {
      name: 'curl on alpine with a non-root user inherited: no apk fix',
      code: lines(
        ...build,
        'FROM alpine:3.20 AS base',
        'USER 65532:65532',
        'FROM base',
        'COPY --from=build /out/app /app',
        'HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'missingProgram', line: 7, column: 18 }],
      output: null,
    },
  ],
});
