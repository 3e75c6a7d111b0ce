# syntax=docker/dockerfile:1
ARG GO_VERSION=1.24
FROM golang:${GO_VERSION} AS dev
ARG VERSION=dev
WORKDIR /src
COPY . .

FROM dev AS build
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -ldflags "-X main.version=${VERSION}" -o /bin/api ./cmd/api

# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM gcr.io/distroless/static-debian13
ARG VERSION=dev
WORKDIR /src
COPY --from=build /bin/api /bin/api
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src /src
LABEL org.opencontainers.image.title="api" \
      org.opencontainers.image.version="${VERSION}"
# the API answers its own health check
HEALTHCHECK --interval=30s CMD ["/bin/api", "healthcheck"]
STOPSIGNAL SIGINT
VOLUME /data
CMD ["/bin/api"]
