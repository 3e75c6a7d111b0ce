// Generators of large Dockerfiles for the benchmark: each takes a line count and returns text
// with about that many lines, in one of the shapes that stress a parser or the model differently.

/** Many small stages: a Go build stage and a runtime stage per service (8 lines each). */
export function manyStages(lines) {
  const out = ['# syntax=docker/dockerfile:1', 'ARG GO_VERSION=1.22'];
  for (let i = 0; out.length < lines - 1; i++) {
    out.push(
      `FROM golang:\${GO_VERSION}-alpine AS build${i}`,
      `WORKDIR /src/svc${i}`,
      'COPY go.mod go.sum ./',
      'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
      'COPY . .',
      `RUN CGO_ENABLED=0 go build -trimpath -o /out/svc${i} ./cmd/svc${i}`,
      `FROM gcr.io/distroless/static-debian12:nonroot AS svc${i}`,
      `COPY --from=build${i} /out/svc${i} /svc${i}`,
    );
  }
  out.push('ENTRYPOINT ["/svc0"]');
  return out.slice(0, lines).join('\n') + '\n';
}

/** RUN instructions that are long backslash continuation chains (`chain` lines each). */
export function continuationChains(lines, chain = 100) {
  const out = ['FROM golang:1.22 AS build', 'WORKDIR /src'];
  let n = 0;
  while (out.length < lines - 3) {
    const length = Math.min(chain, lines - 3 - out.length);
    out.push('RUN apt-get update && apt-get install -y --no-install-recommends \\');
    for (let j = 1; j < length - 1; j++) out.push(`      package-${n}-${j} \\`);
    out.push(`      package-${n}-last`);
    n++;
  }
  out.push('RUN go build -o /out/app ./cmd/app', 'FROM scratch', 'COPY --from=build /out/app /app');
  return out.join('\n') + '\n';
}

/** One stage, one instruction per line, of the kinds a long Go Dockerfile has. */
export function flatStage(lines) {
  const out = ['FROM golang:1.22', 'WORKDIR /src', 'ARG VERSION=dev'];
  for (let i = 0; out.length < lines - 2; i++) {
    switch (i % 6) {
      case 0:
        out.push(`ENV FEATURE_${i % 24}=step${i}`);
        break;
      case 1:
        out.push(`COPY pkg/mod${i}/ ./pkg/mod${i}/`);
        break;
      case 2:
        out.push(`RUN go test ./pkg/mod${i - 2}/... && echo "tested ${i}" > /tmp/t${i}`);
        break;
      case 3:
        out.push(`LABEL org.example.step${i}="\${VERSION}"`);
        break;
      case 4:
        out.push(`# step ${i}: build the next module`);
        break;
      default:
        out.push(
          `RUN go build -ldflags "-X main.version=\${VERSION}" -o /bin/tool${i} ./cmd/tool${i}`,
        );
    }
  }
  out.push('RUN go build -o /bin/app ./cmd/app', 'CMD ["/bin/app"]');
  return out.join('\n') + '\n';
}

/** A single RUN whose continuation chain spans the whole file. */
export function oneChain(lines) {
  return continuationChains(lines, lines);
}

/**
 * One RUN on a single line of `lines` × 40 characters (so "1,000 lines" is a 40 KB line): shows
 * how the parsers cope with long lines rather than many.
 */
export function oneLongLine(lines) {
  const words = Math.ceil((lines * 40) / 32);
  return (
    'FROM golang:1.22 AS build\nRUN go build ' +
    '-tags netgo_and_more_tags_here_x '.repeat(words) +
    '-o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\n'
  );
}
// Long lines stop at 8× (a 320 KB line): dockerfile-ast's parse time grows faster than the line.
oneLongLine.maxLines = 8000;

export const SHAPES = { manyStages, continuationChains, flatStage, oneChain, oneLongLine };
