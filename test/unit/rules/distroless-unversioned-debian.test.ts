import { distrolessUnversionedDebian } from '../../../server/src/core/rules/distroless-unversioned-debian';
import { lines, ruleTester } from '../../support/rule-tester';

const build = ['FROM golang:1.24 AS build', 'RUN CGO_ENABLED=0 go build -o /out/app .'];
const copy = 'COPY --from=build /out/app /app';

ruleTester(distrolessUnversionedDebian, {
  valid: [
    {
      name: 'a Debian suffix, with or without a tag',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian13:nonroot AS a',
        'FROM gcr.io/distroless/base-debian12 AS b',
        'FROM gcr.io/distroless/base-nossl-debian12:debug AS c',
        'FROM gcr.io/distroless/cc-debian13',
        copy,
      ),
    },
    {
      name: 'other distroless images and other registries',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/java17 AS java',
        'FROM registry.example.com/distroless/static AS mirror',
        'FROM scratch',
        copy,
      ),
    },
    {
      name: 'an image from an ARG without a default',
      code: lines('ARG RUNTIME', ...build, 'FROM ${RUNTIME}', copy),
    },
  ],
  invalid: [
    {
      name: 'static with a tag: the suffix goes after the flavour',
      code: lines(...build, 'FROM gcr.io/distroless/static:nonroot', copy),
      findings: [
        {
          messageId: 'noRelease',
          line: 3,
          column: 6,
          message:
            /^gcr\.io\/distroless\/static:nonroot names no Debian release: .*Name the release: gcr\.io\/distroless\/static-debian13:nonroot\.$/,
        },
      ],
      output: lines(...build, 'FROM gcr.io/distroless/static-debian13:nonroot', copy),
    },
    {
      name: 'a tag with an ARG that has no default: the name still lacks the release',
      code: lines('ARG ARCH', ...build, 'FROM gcr.io/distroless/static:nonroot-${ARCH}', copy),
      findings: [
        {
          messageId: 'noRelease',
          line: 4,
          message: /Name the release: gcr\.io\/distroless\/static-debian13:nonroot-\$\{ARCH\}\.$/,
        },
      ],
      output: lines(
        'ARG ARCH',
        ...build,
        'FROM gcr.io/distroless/static-debian13:nonroot-${ARCH}',
        copy,
      ),
    },
    {
      name: 'a variable in the FROM stays in the advice: its value differs from build to build',
      code: lines('ARG ARCH=amd64', ...build, 'FROM gcr.io/distroless/static:latest-$ARCH', copy),
      findings: [
        {
          messageId: 'noRelease',
          line: 4,
          column: 6,
          message:
            /^gcr\.io\/distroless\/static:latest-\$ARCH names no Debian release: .*Name the release: gcr\.io\/distroless\/static-debian13:latest-\$ARCH\.$/,
        },
      ],
      output: lines(
        'ARG ARCH=amd64',
        ...build,
        'FROM gcr.io/distroless/static-debian13:latest-$ARCH',
        copy,
      ),
    },
    {
      name: 'base, base-nossl and cc, once per FROM, not on stages built on them',
      code: lines(
        ...build,
        'from --platform=$TARGETPLATFORM gcr.io/distroless/base as runtime',
        'from runtime as final-base',
        'FROM gcr.io/distroless/base-nossl:debug-nonroot AS nossl',
        'FROM gcr.io/distroless/cc',
        copy,
      ),
      findings: [
        { messageId: 'noRelease', line: 3, column: 33, message: /base-debian13\.$/ },
        { messageId: 'noRelease', line: 5, message: /base-nossl-debian13:debug-nonroot\.$/ },
        { messageId: 'noRelease', line: 6, message: /cc-debian13\.$/ },
      ],
      output: lines(
        ...build,
        'from --platform=$TARGETPLATFORM gcr.io/distroless/base-debian13 as runtime',
        'from runtime as final-base',
        'FROM gcr.io/distroless/base-nossl-debian13:debug-nonroot AS nossl',
        'FROM gcr.io/distroless/cc-debian13',
        copy,
      ),
    },
    {
      name: 'an image spelt by an ARG default: the default is edited',
      code: lines(
        'ARG RUNTIME=gcr.io/distroless/static:nonroot',
        ...build,
        'FROM ${RUNTIME}',
        copy,
      ),
      findings: [{ messageId: 'noRelease', line: 4, column: 6 }],
      output: lines(
        'ARG RUNTIME=gcr.io/distroless/static-debian13:nonroot',
        ...build,
        'FROM ${RUNTIME}',
        copy,
      ),
    },
    {
      name: 'a digest: the next update may move it, and no automatic fix',
      code: lines(...build, 'FROM gcr.io/distroless/static@sha256:0123456789abcdef', copy),
      findings: [
        {
          messageId: 'noReleaseDigest',
          line: 3,
          message:
            /^gcr\.io\/distroless\/static@sha256:0123456… names no Debian release: the next digest update may bring another one\. .*The digest pins it for now; .*use gcr\.io\/distroless\/static-debian13 with that image's digest/,
        },
      ],
      output: null,
    },
    {
      name: 'a tag and a digest in an ARG default: the tag is named, the default left alone',
      code: lines(
        'ARG RUNTIME=gcr.io/distroless/static:nonroot@sha256:f7f8f729987ad0fdf6b05eeeae94b26e6a0f613bdf46feea7fc40f7bd72953e6',
        ...build,
        'FROM ${RUNTIME}',
        copy,
      ),
      findings: [
        {
          messageId: 'noReleaseDigest',
          line: 4,
          column: 6,
          message: /use gcr\.io\/distroless\/static-debian13:nonroot with that image's digest/,
        },
      ],
      output: null,
    },
  ],
});
