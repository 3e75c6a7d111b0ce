# syntax=docker/dockerfile:1
FROM golang:1.24-bookworm AS build
ENV GOFLAGS=-mod=readonly
WORKDIR /build
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -o /out/svc ./cmd/svc

# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM gcr.io/distroless/static-debian13
WORKDIR /build
COPY --from=build /out/svc /out/svc
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /build /build
LABEL maintainer="team@example.com"
ENTRYPOINT ["/out/svc"]
