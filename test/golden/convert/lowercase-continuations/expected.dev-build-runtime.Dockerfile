# syntax=docker/dockerfile:1
from golang:1.24 as dev
workdir /src
copy . .

from dev as build
run go mod download && \
    CGO_ENABLED=0 go build \
      -trimpath \
      -o /usr/local/bin/app \
      ./cmd/app

# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
from gcr.io/distroless/static-debian13
workdir /src
copy --from=build /usr/local/bin/app /usr/local/bin/app
copy --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src /src
expose 9000
entrypoint ["/usr/local/bin/app"]
