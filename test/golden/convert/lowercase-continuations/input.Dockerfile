from golang:1.24
workdir /src
copy . .
run go mod download && \
    go build \
      -trimpath \
      -o /usr/local/bin/app \
      ./cmd/app
expose 9000
entrypoint ["/usr/local/bin/app"]
