from golang:1.24 as build
workdir /src
copy go.mod go.sum ./
run go mod download
copy . .
run go mod download && \
    CGO_ENABLED=0 go build \
      -trimpath \
      -o /out/app \
      ./cmd/app

from gcr.io/distroless/static-debian13:nonroot
copy --from=build /out/app /app
expose 9000
entrypoint ["/app"]
