ARG GO_VERSION=1.24
FROM golang:${GO_VERSION} AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/thanos ./cmd/thanos

FROM --platform=$TARGETPLATFORM gcr.io/distroless/static-debian13:nonroot
LABEL maintainer="someone"
COPY --from=builder /out/thanos /bin/thanos
ENV GORACE="halt_on_error=1"
ENTRYPOINT ["/bin/thanos"]
