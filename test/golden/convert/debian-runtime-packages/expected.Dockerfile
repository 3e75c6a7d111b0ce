# syntax=docker/dockerfile:1
FROM golang:1.24-bookworm AS build
# imagemagick converts uploads; git fetches private modules
RUN apt-get update \
    && apt-get install -y --no-install-recommends git imagemagick libmagickwand-dev tzdata \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/media ./cmd/media

# debian:bookworm-slim, not distroless: the cgo binary links the libraries of libmagickwand-dev, and the program may need imagemagick at run time.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata curl imagemagick libmagickwand-dev && rm -rf /var/lib/apt/lists/*
RUN useradd --system --no-create-home media
USER media
WORKDIR /src
COPY --from=build /usr/local/bin/media /usr/local/bin/media
COPY --from=build --chown=media --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src /src
HEALTHCHECK CMD curl -fsS http://localhost:8080/healthz || exit 1
ENTRYPOINT ["/usr/local/bin/media"]
