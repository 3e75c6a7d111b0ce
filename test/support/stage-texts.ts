/** Dockerfiles the protocol tests share. */
import { CURRENT_GO } from './go-versions';

/** Three stages: a named build (referenced in every way, in mixed case), a test stage, a runtime. */
export const MULTI_STAGE = [
  '# syntax=docker/dockerfile:1',
  'ARG GO_VERSION=1.24.5',
  'FROM golang:${GO_VERSION} AS Build',
  'WORKDIR /src',
  'RUN --mount=type=cache,target=/go/pkg/mod \\',
  '    CGO_ENABLED=0 go build -o /out/server ./cmd/server',
  'FROM build AS test',
  'RUN --mount=type=bind,from=BUILD,target=/x go test ./...',
  'FROM gcr.io/distroless/static-debian13:nonroot',
  'COPY --from=build /out/server /server',
  'COPY --from=0 /src/config.yaml /config.yaml',
  'ENTRYPOINT ["/server"]',
  '',
].join('\n');

/** A stage named `alpine`: the FROM and --from after it mean the stage, the FROM before it the image. */
export const SHADOWING = [
  'FROM alpine AS certs',
  'FROM alpine:3.20 AS alpine',
  'RUN apk add --no-cache ca-certificates',
  'FROM alpine',
  'COPY --from=alpine /etc/ssl/certs /etc/ssl/certs',
  '',
].join('\n');

/** The position of the `nth` occurrence of `needle`, `offset` characters in. */
export function at(text: string, needle: string, nth = 0, offset = 1) {
  let index = -1;
  for (let i = 0; i <= nth; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`"${needle}" #${nth} not in the text`);
  }
  const before = text.slice(0, index + offset).split(/\r\n|\n/);
  return { line: before.length - 1, character: before[before.length - 1].length };
}

export function crlf(text: string): string {
  return text.replace(/\n/g, '\r\n');
}

/**
 * A single-stage Go Dockerfile (one finding, with "Convert to multi-stage"), on a Go release the
 * shipped release data supports.
 */
export const SINGLE_STAGE = [
  `FROM golang:${CURRENT_GO}`,
  'WORKDIR /src',
  'COPY go.mod go.sum ./',
  'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
  'COPY . .',
  'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \\',
  '    go build -o /out/app .',
  'CMD ["/out/app"]',
  '',
].join('\n');

/** A Dockerfile with nothing for go-multistage to report. */
export const NOT_GO = 'FROM alpine:3.20\nRUN echo hello\n';
