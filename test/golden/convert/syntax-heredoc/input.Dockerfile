# syntax=docker/dockerfile:1
# A service built with a heredoc RUN.
FROM golang:1.24

WORKDIR /src
COPY . .

RUN <<EOT
set -e
go vet ./...
go build -o /out/svc ./cmd/svc
EOT

# Listen on 8080.
EXPOSE 8080
ENTRYPOINT ["/out/svc"]
