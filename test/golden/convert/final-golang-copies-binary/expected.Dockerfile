ARG GO_VERSION=1.24
FROM golang:${GO_VERSION} AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/thanos ./cmd/thanos

# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM --platform=$TARGETPLATFORM gcr.io/distroless/static-debian13
WORKDIR /go
LABEL maintainer="someone"
COPY --from=builder /out/thanos /bin/thanos
ENV GORACE="halt_on_error=1"
ENTRYPOINT ["/bin/thanos"]
