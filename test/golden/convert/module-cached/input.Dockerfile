FROM golang:1.24-bookworm
ENV GOFLAGS=-mod=readonly
WORKDIR /build
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -o /out/svc ./cmd/svc
LABEL maintainer="team@example.com"
ENTRYPOINT ["/out/svc"]
