import { runWithoutShell } from '../../../server/src/core/rules/run-without-shell';
import { lines, ruleTester } from '../../support/rule-tester';

const build = [
  'FROM golang:1.24 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN CGO_ENABLED=0 go build -o /out/app .',
];
const copy = 'COPY --from=build /out/app /app';

ruleTester(runWithoutShell, {
  valid: [
    {
      name: 'exec-form RUN on scratch',
      code: lines(...build, 'FROM scratch', copy, 'RUN ["/app", "migrate"]'),
    },
    {
      name: 'shell-form RUN on images with a shell',
      code: lines(
        ...build,
        'FROM alpine:3.20 AS runtime',
        'RUN apk add --no-cache ca-certificates',
        'FROM runtime',
        'RUN adduser -D app',
      ),
    },
    {
      name: 'a distroless debug image has busybox',
      code: lines(...build, 'FROM gcr.io/distroless/static-debian13:debug', 'RUN mkdir -p /data'),
    },
    {
      name: 'a shell copied in before the RUN',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=busybox:1.36 /bin/sh /bin/sh',
        'RUN /bin/sh -c "echo ok"',
      ),
    },
    {
      name: 'a SHELL instruction before the RUN',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=busybox:1.36-musl /bin/busybox /busybox/busybox',
        'SHELL ["/busybox/busybox", "sh", "-c"]',
        'RUN /busybox/busybox mkdir -p /data',
      ),
    },
    {
      name: 'an exec-form RUN before it may have installed a shell',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=busybox:1.36-musl /bin/busybox /bin/busybox',
        'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
        'RUN mkdir -p /data',
      ),
    },
    {
      name: 'a whole root filesystem copied in may hold a shell',
      code: lines(...build, 'FROM scratch', 'COPY --from=busybox:1.36 / /', 'RUN mkdir /data'),
    },
    {
      name: 'an unknown base',
      code: lines(...build, 'FROM registry.example.com/runtime:1', 'RUN mkdir /data'),
    },
  ],
  invalid: [
    {
      name: 'chmod on distroless: no fix, COPY --chmod advised',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian13:nonroot',
        copy,
        'RUN chmod +x /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'noShell',
          line: 7,
          column: 5,
          message:
            /^Shell-form RUN runs through \/bin\/sh, and gcr\.io\/distroless\/static-debian13:nonroot has no shell: the build fails here \(exec: "\/bin\/sh": stat \/bin\/sh: no such file or directory\)\. Set the mode or owner as the file is copied \(`COPY --chmod=755`/,
        },
      ],
      output: null,
    },
    {
      name: 'a stage built on a scratch stage, lowercase, continued over lines with a mount',
      code: lines(
        ...build,
        'from scratch as base',
        'from base',
        'run --mount=type=cache,target=/var/cache/apk \\',
        '    apk add --no-cache ca-certificates',
      ),
      findings: [
        {
          messageId: 'noShell',
          line: 8,
          column: 5,
          message: /scratch has no shell.*no package manager either/,
        },
      ],
      output: null,
    },
    {
      name: 'a shell copied in after the RUN does not help it',
      code: lines(
        ...build,
        'FROM scratch',
        'RUN mkdir /data',
        'COPY --from=busybox:1.36 /bin/sh /bin/sh',
        'RUN echo fine',
      ),
      findings: [{ messageId: 'noShell', line: 6, message: /let WORKDIR create it/ }],
    },
    {
      name: 'a heredoc runs through /bin/sh too',
      code: lines(
        '# syntax=docker/dockerfile:1',
        ...build,
        'FROM cgr.dev/chainguard/static:latest',
        'RUN <<EOF',
        'addgroup -S app',
        'adduser -S app -G app',
        'EOF',
      ),
      findings: [
        {
          messageId: 'noShell',
          line: 7,
          message:
            /cgr\.dev\/chainguard\/static:latest has no shell.*numeric user instead \(`USER 65532:65532`/,
        },
      ],
      output: null,
    },
    {
      name: 'a heredoc with a shebang needs its interpreter',
      code: lines(
        '# syntax=docker/dockerfile:1',
        ...build,
        'FROM scratch',
        'RUN <<EOF',
        '#!/usr/bin/env bash',
        'echo hi',
        'EOF',
      ),
      findings: [
        {
          messageId: 'noInterpreter',
          line: 7,
          message: /^This RUN's script runs with \/usr\/bin\/env, which scratch does not have/,
        },
      ],
    },
    {
      name: 'the copied Go binary run in shell form: rewritten to exec form',
      code: lines(
        ...build,
        'FROM scratch',
        copy,
        'RUN /app migrate --dry-run',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'noShell',
          line: 7,
          column: 5,
          message:
            /\/app is in the image, so the exec form \["\/app", "migrate", "--dry-run"\] runs it without a shell\.$/,
        },
      ],
      output: lines(
        ...build,
        'FROM scratch',
        copy,
        'RUN ["/app", "migrate", "--dry-run"]',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'exec form keeps the flags, and finds a program on PATH',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /usr/local/bin/app',
        'RUN --network=none app \\',
        '  init',
      ),
      findings: [{ messageId: 'noShell', line: 7, column: 20 }],
      output: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /usr/local/bin/app',
        'RUN --network=none ["app", "init"]',
      ),
    },
    {
      name: 'a command with a variable needs a shell even for the copied binary',
      code: lines(...build, 'FROM scratch', copy, 'RUN /app init --dir $DATA'),
      findings: [
        {
          messageId: 'noShell',
          line: 7,
          message: /Do this work in the build stage and COPY the result/,
        },
      ],
      output: null,
    },
  ],
});
