import { copyFromParentStage } from '../../../server/src/core/rules/copy-from-parent-stage';
import { lines, ruleTester } from '../../support/rule-tester';

ruleTester(copyFromParentStage, {
  valid: [
    {
      name: 'a COPY --from another stage',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
        'FROM build AS test',
        'FROM alpine:3.20',
        'COPY --from=build /out/app /out/app',
      ),
    },
    {
      name: 'to another path: the copy is a second file',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
        'FROM build AS pack',
        'COPY --from=build /out/app /usr/local/bin/app',
      ),
    },
    {
      name: 'a RUN before it may have changed the path: the COPY restores it',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
        'FROM build AS pack',
        'RUN rm -rf /out',
        'COPY --from=build /out/app /out/app',
      ),
    },
    {
      name: '--chown changes the owner',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
        'FROM build AS pack',
        'COPY --from=build --chown=1000:1000 /out/app /out/app',
      ),
    },
    {
      name: 'a glob',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
        'FROM build AS pack',
        'COPY --from=build /out/* /out/',
      ),
    },
  ],
  invalid: [
    {
      name: 'the same path from the parent stage, by name',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN go build -o /out/app .',
        'FROM build AS test',
        'COPY --from=build /src /src',
        'RUN go test ./...',
      ),
      findings: [
        {
          messageId: 'alreadyThere',
          line: 5,
          column: 1,
          data: { parent: 'build', destination: '/src', from: 'build' },
        },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN go build -o /out/app .',
        'FROM build AS test',
        'RUN go test ./...',
      ),
    },
    {
      name: 'by index, to a relative destination under WORKDIR',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /app/server .',
        'FROM build',
        'WORKDIR /app',
        'COPY --from=0 /app/server server',
      ),
      findings: [
        {
          messageId: 'alreadyThere',
          line: 5,
          data: { parent: 'build', destination: '/app/server', from: 0 },
        },
      ],
    },
  ],
});
