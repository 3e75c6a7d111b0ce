import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { namedUserInScratch } from '../../../server/src/core/rules/named-user-in-scratch';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

const build = ['FROM golang:1.24 AS build', 'RUN CGO_ENABLED=0 go build -o /out/app .'];
const runtime = ['FROM scratch', 'COPY --from=build /out/app /app'];

ruleTester(namedUserInScratch, {
  valid: [
    {
      name: 'numeric ids',
      code: lines(...build, ...runtime, 'USER 65532:65532', 'ENTRYPOINT ["/app"]'),
    },
    {
      name: 'a name resolved by the copied /etc/passwd',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN useradd --uid 10001 app',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM scratch',
        'COPY --from=build /etc/passwd /etc/passwd',
        'COPY --from=build /out/app /app',
        'USER app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a group name resolved by the copied /etc/group',
      code: lines(
        ...build,
        ...runtime,
        'COPY --from=build /etc/group /etc/group',
        'USER 10001:app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a whole /etc copied from a stage may hold the files',
      code: lines(
        ...build,
        ...runtime,
        'COPY --from=build /etc/ /etc/',
        'USER app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'distroless has /etc/passwd (not scratch)',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12',
        'COPY --from=build /out/app /app',
        'USER nonroot:nonroot',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'alpine has /etc/passwd',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'USER nobody',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a USER from a variable',
      code: lines(...build, ...runtime, 'ARG UID', 'USER ${UID}', 'ENTRYPOINT ["/app"]'),
    },
    {
      name: 'a Go project that only copies a prebuilt binary',
      code: lines(
        'FROM golang:1.24 AS test',
        'RUN go test ./...',
        'FROM scratch',
        'COPY dist/app /app',
        'USER app',
        'ENTRYPOINT ["/app"]',
      ),
    },
  ],
  invalid: [
    {
      name: 'a user name on scratch',
      code: lines(...build, ...runtime, 'USER app', 'ENTRYPOINT ["/app"]'),
      findings: [
        {
          messageId: 'unknownName',
          line: 5,
          column: 6,
          severity: 'error',
          message:
            /`USER app` \(line 5\) names the user "app", but scratch has no \/etc\/passwd.*unable to find user app: no matching entries in passwd file.*USER 65532:65532, or the ids you intend/,
        },
      ],
      output: lines(...build, ...runtime, 'USER 65532:65532', 'ENTRYPOINT ["/app"]'),
    },
    {
      name: 'nonroot:nonroot keeps its group part',
      code: lines(...build, ...runtime, 'USER nonroot:nonroot', 'ENTRYPOINT ["/app"]'),
      findings: [
        {
          messageId: 'unknownNames',
          line: 5,
          column: 6,
          message: /user "nonroot" and group "nonroot".*\/etc\/passwd and \/etc\/group/,
        },
      ],
      output: lines(...build, ...runtime, 'USER 65532:65532', 'ENTRYPOINT ["/app"]'),
    },
    {
      name: 'root has no built-in entry either: it becomes 0',
      code: lines(...build, ...runtime, 'USER root', 'ENTRYPOINT ["/app"]'),
      findings: [
        { messageId: 'unknownName', line: 5, column: 6, message: /unable to find user root/ },
      ],
      output: lines(...build, ...runtime, 'USER 0', 'ENTRYPOINT ["/app"]'),
    },
    {
      name: 'root:root becomes 0:0',
      code: lines(...build, ...runtime, 'USER root:root', 'ENTRYPOINT ["/app"]'),
      findings: [{ messageId: 'unknownNames', line: 5, column: 6 }],
      output: lines(...build, ...runtime, 'USER 0:0', 'ENTRYPOINT ["/app"]'),
    },
    {
      name: 'a numeric user with a group name and no /etc/group',
      code: lines(
        ...build,
        ...runtime,
        'COPY --from=build /etc/passwd /etc/passwd',
        'USER 10001:app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'unknownName',
          line: 6,
          column: 6,
          message: /names the group "app".*unable to find group app/,
        },
      ],
      output: lines(
        ...build,
        ...runtime,
        'COPY --from=build /etc/passwd /etc/passwd',
        'USER 10001:10001',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'the ids the build stage created',
      code: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN addgroup -g 2000 grp && adduser -D -H -u 10001 -G grp app',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        ...runtime,
        'USER app:grp',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'unknownNames',
          line: 6,
          column: 6,
          message:
            /USER 10001:2000: app is created with id 10001 in the build, grp is created with id 2000 in the build/,
        },
      ],
      output: lines(
        'FROM golang:1.24-alpine AS build',
        'RUN addgroup -g 2000 grp && adduser -D -H -u 10001 -G grp app',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        ...runtime,
        'USER 10001:2000',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a USER inherited from a scratch stage the final stage is built on',
      code: lines(
        ...build,
        'FROM scratch AS runtime',
        'USER app',
        'FROM runtime',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'unknownName', line: 4, column: 6 }],
      output: lines(
        ...build,
        'FROM scratch AS runtime',
        'USER 65532:65532',
        'FROM runtime',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'lowercase instructions',
      code: lines(
        'from golang:1.24 as build',
        'run CGO_ENABLED=0 go build -o /out/app .',
        'from scratch',
        'copy --from=build /out/app /app',
        'user  nobody',
        'entrypoint ["/app"]',
      ),
      findings: [{ messageId: 'unknownName', line: 5, column: 7 }],
      output: lines(
        'from golang:1.24 as build',
        'run CGO_ENABLED=0 go build -o /out/app .',
        'from scratch',
        'copy --from=build /out/app /app',
        'user  65534:65534',
        'entrypoint ["/app"]',
      ),
    },
  ],
});

describe('named-user-in-scratch fix safety', () => {
  const fixOf = (user: string) =>
    runRule(
      namedUserInScratch,
      lines(...build, ...runtime, `USER ${user}`, 'ENTRYPOINT ["/app"]'),
    )[0].fixes[0];

  test('root → 0 is the same user, so it is safe for fix-all', () => {
    assert.equal(fixOf('root').safe, true);
  });

  test('a guessed id is not safe', () => {
    assert.equal(fixOf('app').safe, false);
    assert.equal(fixOf('nonroot').safe, false);
  });
});
