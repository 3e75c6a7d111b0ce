# syntax=docker/dockerfile:1
FROM golang:1.24-alpine AS build
RUN apk add --no-cache git
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o /app/bin/api ./cmd/api

# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM gcr.io/distroless/static-debian13
WORKDIR /app
COPY --from=build /app/bin/api /app/bin/api
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /app /app
ENTRYPOINT ["/app/bin/api"]
