ARG GO_VERSION=1.24
FROM golang:${GO_VERSION} AS builder
WORKDIR /src
COPY . .
RUN go build -o /out/thanos ./cmd/thanos

FROM --platform=$TARGETPLATFORM golang:${GO_VERSION}
LABEL maintainer="someone"
COPY --from=builder /out/thanos /bin/thanos
ENV GORACE="halt_on_error=1"
ENTRYPOINT /bin/thanos
