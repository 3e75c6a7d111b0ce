import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nonNumericUser } from '../../../server/src/core/rules/non-numeric-user';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

const build = ['FROM golang:1.24 AS build', 'RUN CGO_ENABLED=0 go build -o /out/app .'];

ruleTester(nonNumericUser, {
  valid: [
    {
      name: 'a numeric USER',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'USER 10001:10001',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a numeric user with a group name: the uid is what Kubernetes checks',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'USER 10001:app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'USER root is final-stage-runs-as-root’s finding',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'USER root',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a name on scratch without /etc/passwd is named-user-in-scratch’s finding',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'USER nonroot',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a USER from a variable',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'ARG APP_USER',
        'COPY --from=build /out/app /app',
        'USER $APP_USER',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a USER in a build stage only',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN useradd builder',
        'USER builder',
        'RUN CGO_ENABLED=0 go build -o /tmp/app .',
        'FROM scratch',
        'COPY --from=build /tmp/app /app',
        'USER 65532:65532',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'an image that is not a Go program’s',
      code: lines('FROM node:22', 'COPY . .', 'USER node', 'CMD ["node", "server.js"]'),
    },
    {
      name: 'a live-reload development image',
      code: lines(
        'FROM golang:1.24',
        'RUN useradd dev',
        'RUN go install github.com/air-verse/air@v1.61.7',
        'USER dev',
        'CMD ["air"]',
      ),
    },
  ],
  invalid: [
    {
      name: 'the line named is the adduser command’s, in a RUN of several lines',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN apk add --no-cache ca-certificates && \\',
        '    addgroup -g 1000 app && \\',
        '    adduser -D -H -u 1000 -G app app',
        'COPY --from=build /out/app /app',
        'USER app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'namedUser',
          line: 8,
          message: /Use its uid: `USER 1000` \(created with id 1000 on line 6\)\.$/,
        },
      ],
      output: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN apk add --no-cache ca-certificates && \\',
        '    addgroup -g 1000 app && \\',
        '    adduser -D -H -u 1000 -G app app',
        'COPY --from=build /out/app /app',
        'USER 1000',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a user the final stage creates with a uid: fixed to that uid (fix-all)',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN addgroup -g 10001 app && adduser -D -H -u 10001 -G app app',
        'COPY --from=build /out/app /app',
        'USER app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'namedUser',
          line: 6,
          column: 6,
          message:
            /^`USER app` \(line 6\) names the user, so Kubernetes `runAsNonRoot` cannot verify that it is not root and refuses to start the container\. Use its uid: `USER 10001` \(created with id 10001 on line 4\)\.$/,
        },
      ],
      output: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN addgroup -g 10001 app && adduser -D -H -u 10001 -G app app',
        'COPY --from=build /out/app /app',
        'USER 10001',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'account lines written to passwd and group files, copied into distroless',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'RUN echo "app:x:1000:1000:app:/var/lib/app:/sbin/nologin" > /tmp/passwd && \\',
        '    echo "app:x:1000:app" > /tmp/group',
        'FROM gcr.io/distroless/static-debian13',
        'COPY --from=build /out/app /app',
        'COPY --from=build /tmp/passwd /etc/passwd',
        'COPY --from=build /tmp/group /etc/group',
        'USER app:app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'namedUser',
          line: 9,
          message: /Use its uid: `USER 1000:1000` \(created with id 1000 on line 3\)/,
        },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'RUN echo "app:x:1000:1000:app:/var/lib/app:/sbin/nologin" > /tmp/passwd && \\',
        '    echo "app:x:1000:app" > /tmp/group',
        'FROM gcr.io/distroless/static-debian13',
        'COPY --from=build /out/app /app',
        'COPY --from=build /tmp/passwd /etc/passwd',
        'COPY --from=build /tmp/group /etc/group',
        'USER 1000:1000',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'an account line in a file named with passwd as a part, copied to /etc/passwd',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'RUN echo "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin" > /etc/minimal-passwd',
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'COPY --from=build /etc/minimal-passwd /etc/passwd',
        'USER nonroot',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'namedUser',
          line: 7,
          message: /Use its uid: `USER 65532` \(created with id 65532 on line 3\)/,
        },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'RUN echo "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin" > /etc/minimal-passwd',
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'COPY --from=build /etc/minimal-passwd /etc/passwd',
        'USER 65532',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'user and group created with ids (useradd, groupadd)',
      code: lines(
        ...build,
        'FROM debian:bookworm-slim',
        'RUN groupadd --gid 2000 svc && useradd --uid 2000 --gid svc svc',
        'COPY --from=build /out/app /app',
        'USER svc:svc',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        { messageId: 'namedUser', line: 6, column: 6, message: /Use its uid: `USER 2000:2000`/ },
      ],
      output: lines(
        ...build,
        'FROM debian:bookworm-slim',
        'RUN groupadd --gid 2000 svc && useradd --uid 2000 --gid svc svc',
        'COPY --from=build /out/app /app',
        'USER 2000:2000',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'long options abbreviated as getopt_long allows (`--home` for `--home-dir`)',
      code: lines(
        ...build,
        'FROM debian:bookworm-slim',
        'RUN groupadd --gi 2000 svc && useradd --home /home/svc --sh /bin/false --ui 2000 --gid svc svc',
        'COPY --from=build /out/app /app',
        'USER svc:svc',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        { messageId: 'namedUser', line: 6, column: 6, message: /Use its uid: `USER 2000:2000`/ },
      ],
      output: lines(
        ...build,
        'FROM debian:bookworm-slim',
        'RUN groupadd --gi 2000 svc && useradd --home /home/svc --sh /bin/false --ui 2000 --gid svc svc',
        'COPY --from=build /out/app /app',
        'USER 2000:2000',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'nonroot on distroless is 65532',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12',
        'COPY --from=build /out/app /app',
        'USER nonroot:nonroot',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'namedUser',
          line: 5,
          column: 6,
          message: /`USER 65532:65532` \(nonroot's id in the base image\)/,
        },
      ],
      output: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12',
        'COPY --from=build /out/app /app',
        'USER 65532:65532',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'nobody on alpine is 65534',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'USER nobody',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'namedUser', line: 5, column: 6, message: /`USER 65534`/ }],
      output: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'USER 65534',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'nobody on a RHEL-family base: its id is not known, no fix',
      code: lines(
        ...build,
        'FROM centos:7',
        'COPY --from=build /out/app /app',
        'USER nobody',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'namedUser',
          line: 5,
          column: 6,
          // nobody comes from centos: its uid is looked up there, not given where it is made.
          message:
            /No RUN of this Dockerfile creates nobody: it comes from centos:7\. Write its uid there \(`docker run --rm --entrypoint id centos:7 nobody` prints it\)/,
        },
      ],
      output: null,
    },
    {
      name: 'a user created without a uid: no fix, the message says how to give it one',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN adduser -D app',
        'COPY --from=build /out/app /app',
        'USER app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'namedUser',
          line: 6,
          column: 6,
          message: /Give app a fixed uid where it is created \(`adduser -u 10001 app`/,
        },
      ],
      output: null,
    },
    {
      name: 'a user created with its uid from a build argument: USER with the same variable',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'ARG APP_UID=1000',
        'RUN adduser -D -u ${APP_UID} app && useradd --uid=$WEB_UID web',
        'COPY --from=build /out/app /app',
        'USER app:app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'namedUser',
          line: 7,
          message:
            /app is created with the uid \$\{APP_UID\} on line 5: write `USER \$\{APP_UID\}:app` \(with its `ARG` or `ENV` in this stage\)\.$/,
        },
      ],
      output: null,
    },
    {
      name: 'a USER from a variable with a default is read as that name',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'ARG USER=webhookd',
        'RUN adduser -D "$USER"',
        'COPY --from=build /out/app /app',
        'USER $USER',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'namedUser', line: 7, message: /`USER \$USER` \(line 7\) names/ }],
      output: null,
    },
    {
      name: 'scratch with /etc/passwd copied from the stage that created the user',
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
      findings: [
        {
          messageId: 'namedUser',
          line: 7,
          column: 6,
          message: /`USER 10001` \(created with id 10001 on line 2\)/,
        },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN useradd --uid 10001 app',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM scratch',
        'COPY --from=build /etc/passwd /etc/passwd',
        'COPY --from=build /out/app /app',
        'USER 10001',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a user inherited from the parent stage',
      code: lines(
        ...build,
        'FROM alpine:3.20 AS base',
        'RUN adduser -D -u 1000 app',
        'USER app',
        'FROM base',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'namedUser', line: 5, column: 6, message: /`USER 1000`/ }],
    },
  ],
});

describe('non-numeric-user fix safety', () => {
  const fixOf = (code: string) => {
    const [finding] = runRule(nonNumericUser, code);
    assert.ok(finding, 'expected a finding');
    return finding.fixes[0];
  };

  test('the uid the image gives the name is the same account: safe for fix-all', () => {
    const created = fixOf(
      lines(
        ...build,
        'FROM alpine:3.20',
        'RUN adduser -D -u 10001 app',
        'COPY --from=build /out/app /app',
        'USER app',
        'ENTRYPOINT ["/app"]',
      ),
    );
    assert.equal(created.safe, true);
    const base = fixOf(
      lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12',
        'COPY --from=build /out/app /app',
        'USER nonroot',
      ),
    );
    assert.equal(base.safe, true);
  });

  test('an id from a stage the image’s /etc/passwd does not come from is not safe', () => {
    const fix = fixOf(
      lines(
        'FROM golang:1.24 AS build',
        'RUN useradd --uid 10001 app',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM debian:bookworm-slim',
        'COPY --from=build /out/app /app',
        'USER app',
        'ENTRYPOINT ["/app"]',
      ),
    );
    assert.equal(fix.edits[0].newText, '10001');
    assert.equal(fix.safe, false);
  });

  test('a base account file replaced by a copy: the base’s ids are not assumed', () => {
    const [finding] = runRule(
      nonNumericUser,
      lines(
        ...build,
        'FROM alpine:3.20',
        'COPY passwd /etc/passwd',
        'COPY --from=build /out/app /app',
        'USER nobody',
        'ENTRYPOINT ["/app"]',
      ),
    );
    assert.deepEqual(finding.fixes, []);
  });
});
