/** Deterministic large and pathological Dockerfiles for the robustness tests. */

/** A small deterministic pseudo-random generator (mulberry32), so failures reproduce. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` lines of multi-stage Go Dockerfile: build and runtime stages, eight lines each. */
export function manyStages(count: number): string {
  const lines = ['ARG GO_VERSION=1.22'];
  for (let i = 0; lines.length < count; i++) {
    lines.push(
      `FROM golang:\${GO_VERSION}-alpine AS build${i}`,
      `WORKDIR /src/svc${i}`,
      'COPY go.mod go.sum ./',
      'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
      'COPY . .',
      `RUN CGO_ENABLED=0 go build -o /out/svc${i} ./cmd/svc${i}`,
      `FROM gcr.io/distroless/static-debian12:nonroot AS svc${i}`,
      `COPY --from=build${i} /out/svc${i} /svc${i}`,
    );
  }
  return lines.slice(0, count).join('\n') + '\nENTRYPOINT ["/svc0"]\n';
}

/** Random bytes read as Latin-1 text: every code unit 0-255, NUL and control characters too. */
export function binaryGarbage(bytes: number, seed = 7): string {
  const next = random(seed);
  let text = '';
  for (let i = 0; i < bytes; i++) text += String.fromCharCode(Math.floor(next() * 256));
  return text;
}

/** `text` repeated until it is at least `length` characters long. */
export function repeatTo(text: string, length: number): string {
  return text.repeat(Math.ceil(length / text.length));
}

export const MB = 1 << 20;
