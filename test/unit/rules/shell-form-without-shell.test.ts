import { shellFormWithoutShell } from '../../../server/src/core/rules/shell-form-without-shell';
import { lines, ruleTester } from '../../support/rule-tester';

const build = ['FROM golang:1.24 AS build', 'RUN CGO_ENABLED=0 go build -o /out/app .'];

ruleTester(shellFormWithoutShell, {
  valid: [
    {
      name: 'exec form on scratch',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'shell form on alpine',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'CMD /app --port $PORT',
      ),
    },
    {
      name: 'shell form on a distroless debug image (busybox)',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:debug',
        'COPY --from=build /out/app /app',
        'CMD /app',
      ),
    },
    {
      name: 'shell form on the golang image itself',
      code: lines('FROM golang:1.24', 'RUN go build -o /app .', 'CMD /app'),
    },
    {
      name: 'HEALTHCHECK NONE',
      code: lines(...build, 'FROM scratch', 'HEALTHCHECK NONE', 'ENTRYPOINT ["/app"]'),
    },
    {
      name: 'a shell copied into the image',
      code: lines(...build, 'FROM scratch', 'COPY --from=busybox:1.36 /bin/sh /bin/sh', 'CMD /app'),
    },
    {
      name: 'an unknown base',
      code: lines(...build, 'FROM registry.example.com/runtime:1', 'CMD /app'),
    },
  ],
  invalid: [
    {
      name: 'shell-form CMD on scratch, rewritten to exec form',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'CMD /app --port 8080 "a b"',
      ),
      findings: [
        {
          messageId: 'cannotStart',
          line: 5,
          column: 5,
          data: { instruction: 'CMD', image: 'scratch' },
        },
      ],
      output: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'CMD ["/app", "--port", "8080", "a b"]',
      ),
    },
    {
      name: 'ENTRYPOINT on distroless static, with a line continuation',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:nonroot',
        'ENTRYPOINT /app \\',
        '  --verbose',
      ),
      findings: [
        {
          messageId: 'cannotStart',
          line: 4,
          message: /gcr\.io\/distroless\/static-debian12:nonroot has no shell/,
        },
      ],
      output: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:nonroot',
        'ENTRYPOINT ["/app", "--verbose"]',
      ),
    },
    {
      name: 'HEALTHCHECK CMD with options',
      code: lines(
        ...build,
        'FROM scratch',
        'HEALTHCHECK --interval=5s CMD /app health',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'checkFails', line: 4, column: 31 }],
      output: lines(
        ...build,
        'FROM scratch',
        'HEALTHCHECK --interval=5s CMD ["/app", "health"]',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a stage inherited from a shell-less stage, lowercase',
      code: lines(
        ...build,
        'from gcr.io/distroless/base-debian12 as runtime',
        'from runtime',
        'cmd /app',
      ),
      findings: [
        { messageId: 'cannotStart', line: 5, message: /distroless\/base-debian12 has no shell/ },
      ],
      output: lines(
        ...build,
        'from gcr.io/distroless/base-debian12 as runtime',
        'from runtime',
        'cmd ["/app"]',
      ),
    },
    {
      name: 'variables need a shell: no automatic fix, and the message says why',
      code: lines(...build, 'FROM scratch', 'CMD /app --port $PORT'),
      findings: [
        {
          messageId: 'cannotStart',
          line: 4,
          message: /because it expands variables \(`\$\{PORT\}`\)/,
        },
      ],
      output: null,
    },
    {
      name: 'operators need a shell',
      code: lines(...build, 'FROM scratch', 'CMD /app migrate && /app serve'),
      findings: [{ messageId: 'cannotStart', line: 4, message: /because it chains commands/ }],
      output: null,
    },
  ],
});
