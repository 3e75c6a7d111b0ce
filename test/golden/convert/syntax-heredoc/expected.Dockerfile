# syntax=docker/dockerfile:1
# A service built with a heredoc RUN.
FROM golang:1.24 AS build

WORKDIR /src
COPY . .

RUN <<EOT
set -e
go vet ./...
CGO_ENABLED=0 go build -o /out/svc ./cmd/svc
EOT

# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM gcr.io/distroless/static-debian13
WORKDIR /src
COPY --from=build /out/svc /out/svc
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src /src
# Listen on 8080.
EXPOSE 8080
ENTRYPOINT ["/out/svc"]
