/**
 * fast-check generators of Dockerfiles: plausible Go Dockerfiles assembled from real-looking
 * lines, and the same (or fixture files) damaged by the edits that break parsers: stray escapes
 * and quotes, substitutions, heredoc markers, flags, NUL, BOM, mixed line ends, truncation.
 */
import fc from 'fast-check';

/** Lines of the kind Go Dockerfiles are made of, including malformed and exotic ones. */
export const LINES: readonly string[] = [
  '# syntax=docker/dockerfile:1',
  '# escape=`',
  '# escape=\\',
  '# check=skip=all',
  'ARG GO_VERSION=1.22',
  'ARG TARGETOS TARGETARCH',
  'ARG VERSION',
  'FROM golang:1.22',
  'FROM golang:${GO_VERSION}-alpine AS build',
  'FROM --platform=$BUILDPLATFORM golang:1.22-bookworm AS builder',
  'FROM golang:1.22-windowsservercore',
  'FROM gcr.io/distroless/static-debian12:nonroot',
  'FROM gcr.io/distroless/base-debian12',
  'FROM cgr.dev/chainguard/static',
  'FROM scratch',
  'FROM alpine:3.20',
  'FROM debian:bookworm-slim',
  'FROM build AS test',
  'FROM ${BASE}',
  'FROM',
  'WORKDIR /src',
  'WORKDIR app',
  'WORKDIR $HOME/app',
  'COPY go.mod go.sum ./',
  'COPY . .',
  'COPY ["main.go", "/src/"]',
  'COPY --from=build /out/app /app',
  'COPY --from=builder /go/bin/server /usr/local/bin/server',
  'COPY --from=0 /src/app /app',
  'COPY --from=buidl /out/app /app',
  'COPY --from=build --chown=65532:65532 /out/ /',
  'COPY --from=${STAGE} /app /app',
  'COPY --from=',
  'COPY <<EOF /etc/app.conf',
  'ADD --chmod=755 https://example.com/tool /usr/local/bin/tool',
  'RUN go mod download',
  'RUN go build -o /out/app ./cmd/app',
  'RUN go build -o app .',
  'RUN CGO_ENABLED=0 go build -trimpath -o /bin/server ./cmd/server',
  'RUN CGO_ENABLED=1 GOOS=linux go build -ldflags "-s -w" -o /bin/server ./cmd/server',
  'RUN go install ./cmd/...',
  'RUN go install github.com/example/tool@latest',
  'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /app .',
  'RUN --mount=from=build,source=/out,target=/mnt cp /mnt/app /app',
  'RUN env GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/ ./...',
  'RUN xx-go build -o /out/app .',
  'RUN apk add --no-cache gcc musl-dev',
  'RUN apk add --no-cache --virtual .deps make git ffmpeg=6.1-r0 tzdata && apk del .deps',
  'RUN apt-get update && apt-get install -y dmsetup libsqlite3-dev tzdata',
  'RUN apk add $PKGS',
  'RUN dnf install -y dmsetup',
  'RUN make build',
  'RUN cd /src && ./scripts/build.sh',
  'RUN cp /out/app /usr/local/bin/',
  'RUN go install -v ./...',
  'RUN apt-get update && apt-get install -y build-essential \\',
  '    && rm -rf /var/lib/apt/lists/*',
  '    --no-install-recommends \\',
  'RUN sh -c "cd /src && go build -o /app ."',
  'RUN bash -eux -c \'go build -o "$(pwd)/app" .\'',
  'RUN cd /src && go build -o ../bin/app . 2>&1 | tee /tmp/log',
  'RUN for d in cmd/*; do go build ./$d; done',
  'RUN <<EOF',
  'RUN <<-EOT bash',
  'RUN cat <<EOF > /etc/x && go build -o /app .',
  'RUN ["go", "build", "-o", "/app", "."]',
  'RUN ["/bin/sh", "-c", "go build"]',
  'go build -o /app .',
  'set -eux',
  'EOF',
  'EOT',
  'ENV CGO_ENABLED=0',
  'ENV PATH=/app:$PATH',
  'ENV GOFLAGS=-mod=vendor GOBIN=/out',
  'ENV PORT 8080',
  'USER nonroot:nonroot',
  'USER app',
  'USER 65532',
  'EXPOSE 8080',
  'CMD ["./app"]',
  'CMD ["/app", "--port", "8080"]',
  'CMD ./app --port $PORT',
  'CMD ["/bin/server"]',
  'CMD server',
  'CMD []',
  'CMD [',
  'ENTRYPOINT ["/app"]',
  'ENTRYPOINT /usr/local/bin/server',
  'ENTRYPOINT ["go", "run", "."]',
  'CMD go run ./cmd/server -addr :8080',
  'ENTRYPOINT ["/bin/sh", "-c", "exec /app"]',
  'CMD ["bash", "-c", "./app --port $PORT"]',
  'ENTRYPOINT ["/sbin/tini", "--"]',
  'ENTRYPOINT ["dumb-init", "--", "/app"]',
  'CMD ["./bin/server"]',
  'CMD ["app"]',
  'HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1',
  'HEALTHCHECK --interval=30s CMD ["/app", "health"]',
  'HEALTHCHECK NONE',
  'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
  'LABEL org.opencontainers.image.source="https://example.com"',
  'ONBUILD RUN go build',
  'STOPSIGNAL SIGTERM',
  'VOLUME /data',
  'MAINTAINER someone',
  '  \\',
  '\\',
  '`',
  '# a comment',
  '',
];

/** Fragments whose insertion anywhere tends to confuse a tokenizer or a parser. */
export const HAZARDS: readonly string[] = [
  '\\',
  '\\\n',
  '\\\r\n',
  '`',
  '`\n',
  '"',
  "'",
  '$(',
  '$((',
  '${',
  '${X:-',
  '}',
  ')',
  '<<EOF',
  '<<-EOF',
  "<<'EOF'",
  '\nEOF\n',
  '--from=',
  '--from=${X}',
  '--platform=',
  '--mount=',
  '\0',
  '\uFEFF',
  '\r\n',
  '\r',
  '\n',
  '\n# escape=`\n',
  '# escape=`\n',
  '[',
  ']',
  '["',
  '&&',
  ';',
  '|',
  '#',
  ' ',
  '\t',
  '\u2028',
  '\uD800',
  '\uDC00',
  '=',
  'FROM ',
  'RUN ',
  'AS ',
  '-o ',
  'go build ',
  'CGO_ENABLED=1 ',
];

const eol = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r');

function joinLines(lines: readonly (readonly [string, string])[]): string {
  return lines.map(([line, end]) => line + end).join('');
}

/** Lines of LINES in any order, with mostly `\n` line ends and some `\r\n` or `\r`. */
export const lineSoup: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom(...LINES), eol), { maxLength: 30 })
  .map(joinLines);

const isFrom = (line: string) => /^FROM\b/.test(line);
const isStart = (line: string) => /^(CMD|ENTRYPOINT)\b/.test(line);
const FROMS = LINES.filter(isFrom);
const STARTS = LINES.filter(isStart);
const BODY = LINES.filter((line) => !isFrom(line) && !isStart(line));

/** The output of a go build and the ways a start command may name it. */
const BINARIES: readonly { out: string; names: string[] }[] = [
  { out: '/out/app', names: ['/out/app'] },
  { out: 'app', names: ['./app', 'app', '/src/app'] },
  { out: '/bin/server', names: ['/bin/server', 'server'] },
  { out: '/go/bin/', names: ['/go/bin/server', 'server'] },
];

/** A stage on the Go toolchain that builds a program and starts it: conversion material. */
const buildAndRun: fc.Arbitrary<string[]> = fc
  .record({
    from: fc.constantFrom('FROM golang:1.22', 'FROM golang:1.22-alpine AS app', 'FROM golang'),
    binary: fc.constantFrom(...BINARIES),
    pick: fc.nat(),
    cgo: fc.constantFrom('', 'CGO_ENABLED=0 ', 'CGO_ENABLED=1 ', 'GOOS=linux '),
    flags: fc.constantFrom('', '-trimpath ', '-ldflags "-s -w" ', '-tags netgo '),
    exec: fc.boolean(),
    args: fc.constantFrom('', ' --port 8080', ' $PORT', ' && echo done'),
    before: fc.array(fc.constantFrom(...BODY), { maxLength: 4 }),
    after: fc.array(fc.constantFrom(...BODY), { maxLength: 4 }),
    health: fc.boolean(),
  })
  .map((r) => {
    const name = r.binary.names[r.pick % r.binary.names.length];
    const start = r.exec
      ? `CMD ${JSON.stringify([name, ...r.args.trim().split(/\s+/).filter(Boolean)])}`
      : `ENTRYPOINT ${name}${r.args}`;
    return [
      r.from,
      'WORKDIR /src',
      'COPY . .',
      ...r.before,
      `RUN ${r.cgo}go build ${r.flags}-o ${r.binary.out} ./cmd/server`,
      ...r.after,
      ...(r.health ? [`HEALTHCHECK CMD ["${name}", "-health"]`] : []),
      start,
    ];
  });

const stage: fc.Arbitrary<string[]> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...FROMS),
      fc.array(fc.constantFrom(...BODY), { maxLength: 8 }),
      fc.option(fc.constantFrom(...STARTS)),
    )
    .map(([from, body, start]) => [from, ...body, ...(start === null ? [] : [start])]),
  buildAndRun,
);

/** Dockerfiles shaped like real ones: a preamble, then stages (FROM, body, start command). */
export const structured: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(
      fc.constantFrom(
        '# syntax=docker/dockerfile:1',
        '# escape=`',
        'ARG GO_VERSION=1.22',
        'ARG BASE=alpine',
      ),
      { maxLength: 2 },
    ),
    fc.array(stage, { minLength: 1, maxLength: 4 }),
  )
  .chain(([preamble, stages]) => {
    const lines = [...preamble, ...stages.flat()];
    return fc
      .array(eol, { minLength: lines.length, maxLength: lines.length })
      .map((ends) => joinLines(lines.map((line, i) => [line, ends[i]] as const)));
  });

/** A Dockerfile: mostly structured like real ones, sometimes lines in any order. */
export const dockerfile: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: structured },
  { weight: 1, arbitrary: lineSoup },
);

/** Text over a small alphabet of Dockerfile and shell syntax (dense in structure). */
export const syntaxSoup: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(
    'F',
    'R',
    'O',
    'M',
    'U',
    'N',
    'C',
    'P',
    'Y',
    ' ',
    ' ',
    '\t',
    '\\',
    '\n',
    '\n',
    '\r',
    '"',
    "'",
    '`',
    '$',
    '{',
    '}',
    '(',
    ')',
    '[',
    ']',
    '<',
    '>',
    '-',
    '=',
    '#',
    ',',
    ':',
    '/',
    '.',
    'a',
    '1',
    '\0',
    '\uFEFF',
    'go',
    'EOF',
    'AS',
    '--from=',
    'build',
  ),
  maxLength: 400,
});

export type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'truncate'; at: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.constantFrom(...HAZARDS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.string({ unit: 'binary', maxLength: 4 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('duplicate' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 80 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
);

/** Applies mutations; positions wrap around the text's length. */
export function mutate(text: string, mutations: readonly Mutation[]): string {
  let result = text;
  for (const m of mutations) {
    const at = result.length === 0 ? 0 : m.at % (result.length + 1);
    switch (m.kind) {
      case 'insert':
        result = result.slice(0, at) + m.text + result.slice(at);
        break;
      case 'delete':
        result = result.slice(0, at) + result.slice(at + m.length);
        break;
      case 'duplicate':
        result =
          result.slice(0, at + m.length) +
          result.slice(at, at + m.length) +
          result.slice(at + m.length);
        break;
      case 'truncate':
        result = result.slice(0, at);
        break;
    }
  }
  return result;
}

/** `base` texts with up to `max` mutations applied. */
export function mutated(base: fc.Arbitrary<string>, max = 6): fc.Arbitrary<string> {
  return fc
    .tuple(base, fc.array(mutation, { minLength: 1, maxLength: max }))
    .map(([text, mutations]) => mutate(text, mutations));
}

/** A go.mod text, sometimes absent, sometimes broken. */
export const goMod: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  'module example.com/app\n\ngo 1.22\n',
  'module example.com/cmd/server\n',
  'module "quoted/path"\ngo 1.21\ntoolchain go1.22.1\n',
  'modul broken(\n',
  '',
);
