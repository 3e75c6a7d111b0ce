# syntax=docker/dockerfile:1
# A service built with a heredoc RUN.
FROM golang:1.24 AS dev

WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .


FROM dev AS build
RUN <<EOT
set -e
go vet ./...
CGO_ENABLED=0 go build -o /out/svc ./cmd/svc
EOT

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/svc /svc
# Listen on 8080.
EXPOSE 8080
ENTRYPOINT ["/svc"]
