# syntax=docker/dockerfile:1
FROM golang:1.24 AS dev
RUN apt-get update && apt-get install -y libsqlite3-dev
WORKDIR /src
COPY . .
ENV CGO_ENABLED=1

FROM dev AS build
RUN go build -o /out/store ./cmd/store

# debian:trixie-slim, not distroless: the cgo binary links the libraries of libsqlite3-dev.
# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM debian:trixie-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata libsqlite3-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY --from=build /out/store /out/store
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src /src
CMD ["/out/store"]
