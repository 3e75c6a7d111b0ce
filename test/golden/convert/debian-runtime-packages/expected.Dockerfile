FROM golang:1.24-bookworm AS build
# imagemagick converts uploads; git fetches private modules
RUN apt-get update \
    && apt-get install -y --no-install-recommends git imagemagick libmagickwand-dev tzdata \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /out/media ./cmd/media

# cgo stays on (libmagickwand-dev): the binary needs glibc, which this base has.
# Shared libraries installed in the build stage are not here: copy or install the ones
# the binary loads.
# debian:bookworm-slim, not distroless: the program may need imagemagick at run time.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata curl imagemagick && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/media /media
RUN useradd --system --no-create-home media
USER media
HEALTHCHECK CMD curl -fsS http://localhost:8080/healthz || exit 1
ENTRYPOINT ["/media"]
