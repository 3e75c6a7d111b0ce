import { copyFromUnknownStage } from '../../../server/src/core/rules/copy-from-unknown-stage';
import { lines, ruleTester } from '../../support/rule-tester';

const build = [
  'FROM golang:1.24 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN CGO_ENABLED=0 go build -o /out/app .',
];

ruleTester(copyFromUnknownStage, {
  valid: [
    {
      name: 'an earlier stage by name',
      code: lines(...build, 'FROM scratch', 'COPY --from=build /out/app /app'),
    },
    {
      name: 'stage names compare case-insensitively',
      code: lines(
        'FROM golang:1.24 AS Build',
        'RUN go build -o /out/app .',
        'FROM scratch',
        'COPY --from=BUILD /out/app /app',
      ),
    },
    {
      name: 'an earlier stage by index',
      code: lines(...build, 'FROM scratch', 'COPY --from=0 /out/app /app'),
    },
    {
      name: 'external images with a tag, a registry or a digest',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=alpine:3.20 /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
        'COPY --from=gcr.io/distroless/static /etc/passwd /etc/passwd',
        'COPY --from=tonistiigi/xx / /',
        'COPY --from=busybox@sha256:0123 /bin/busybox /busybox',
      ),
    },
    {
      name: 'well-known official images without a tag',
      code: lines(...build, 'FROM scratch', 'COPY --from=busybox /bin/busybox /busybox'),
    },
    {
      name: 'a --from set by a variable',
      code: lines(
        'ARG BUILDER=build',
        ...build,
        'FROM scratch',
        'COPY --from=${BUILDER} /out/app /app',
      ),
    },
    {
      name: 'a Dockerfile that builds no Go program',
      code: lines(
        'FROM node:22 AS deps',
        'RUN npm ci',
        'FROM node:22-slim',
        'COPY --from=dpes /node_modules /app/node_modules',
      ),
    },
  ],
  invalid: [
    {
      name: 'a misspelt stage, fixed to the closest name',
      code: lines(...build, 'FROM scratch', 'COPY --from=biuld /out/app /app'),
      findings: [
        {
          messageId: 'unknownStageSuggest',
          line: 6,
          column: 13,
          message: /^No stage is named "biuld": did you mean "build"\?$/,
        },
      ],
      output: lines(...build, 'FROM scratch', 'COPY --from=build /out/app /app'),
    },
    {
      name: 'a stage name BuildKit would reject is not suggested',
      code: lines(
        'FROM golang:1.24 AS \\builder',
        'RUN go build -o /out/app .',
        'FROM scratch',
        'COPY --from=builder /out/app /app',
      ),
      findings: [{ messageId: 'unknownStage', line: 4, data: { name: 'builder' } }],
      output: null,
    },
    {
      name: 'lowercase instructions and ADD',
      code: lines(
        'from golang:1.24 as builder',
        'run go build -o /out/app .',
        'from scratch',
        'add --from=bulider /out/app /app',
      ),
      findings: [
        {
          messageId: 'unknownStageSuggest',
          line: 4,
          message: /did you mean "builder"\?.* ADD --from=bulider /,
        },
      ],
      output: lines(
        'from golang:1.24 as builder',
        'run go build -o /out/app .',
        'from scratch',
        'add --from=builder /out/app /app',
      ),
    },
    {
      name: 'a stage defined later',
      code: lines(
        'FROM golang:1.24 AS build',
        'COPY --from=assets /dist /src/dist',
        'RUN go build -o /out/app .',
        'FROM node:22 AS assets',
        'RUN npm run build',
      ),
      findings: [
        {
          messageId: 'laterStage',
          line: 2,
          data: { from: 'assets', where: 'a later stage (line 4)' },
        },
      ],
      output: null,
    },
    {
      name: 'the stage it is in',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
        'COPY --from=build /out/app /app',
      ),
      findings: [
        { messageId: 'laterStage', line: 3, data: { from: 'build', where: 'the stage it is in' } },
      ],
    },
    {
      name: 'an index that is not an earlier stage',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=1 /out/app /app',
        'COPY --from=7 /out/app /app2',
      ),
      findings: [
        {
          messageId: 'indexOutOfRange',
          line: 6,
          data: { index: 1, where: 'the stage it is in' },
        },
        {
          messageId: 'indexOutOfRange',
          line: 7,
          data: { index: 7, where: 'a stage that does not come before it (stages 0 to 0 do)' },
        },
      ],
    },
    {
      name: 'a name that is one part of a stage name',
      code: lines(
        'FROM golang:1.24 AS license-set',
        'RUN go run ./tools/addlicense',
        'FROM scratch AS license-update',
        'COPY --from=set /out /',
      ),
      findings: [
        { messageId: 'unknownStageSuggest', line: 4, message: /did you mean "license-set"\?/ },
      ],
      output: lines(
        'FROM golang:1.24 AS license-set',
        'RUN go run ./tools/addlicense',
        'FROM scratch AS license-update',
        'COPY --from=license-set /out /',
      ),
    },
    {
      name: 'no close name: no fix',
      code: lines(...build, 'FROM scratch', 'COPY --from=compiler /out/app /app'),
      findings: [
        {
          messageId: 'unknownStage',
          line: 6,
          message:
            /^No earlier stage is named "compiler"\. .*makes Docker pull an image of that name, and the build fails\.$/,
        },
      ],
      output: null,
    },
  ],
});
