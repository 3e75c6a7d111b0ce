ARG GO_VERSION=1.24
FROM golang:${GO_VERSION} AS build
ARG VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -ldflags "-X main.version=${VERSION}" -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian13:nonroot
ARG VERSION=dev
COPY --from=build /out/api /api
LABEL org.opencontainers.image.title="api" \
      org.opencontainers.image.version="${VERSION}"
# the API answers its own health check
HEALTHCHECK --interval=30s CMD ["/api", "healthcheck"]
STOPSIGNAL SIGINT
VOLUME /data
CMD ["/api"]
