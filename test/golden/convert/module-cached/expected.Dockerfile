FROM golang:1.24-bookworm AS build
ENV GOFLAGS=-mod=readonly
WORKDIR /build
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -o /out/svc ./cmd/svc

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/svc /svc
LABEL maintainer="team@example.com"
ENTRYPOINT ["/svc"]
