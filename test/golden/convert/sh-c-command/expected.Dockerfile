# syntax=docker/dockerfile:1
FROM golang:1.24 AS build
WORKDIR /srv
COPY . .
RUN CGO_ENABLED=0 go build -o server ./cmd/server

# alpine:3.24: the CMD runs its command through sh -c.
# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM alpine:3.24
RUN apk add --no-cache ca-certificates tzdata
WORKDIR /srv
COPY --from=build /srv/server /srv/server
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /srv /srv
ENV PORT=8080
# the platform sets PORT; the default is for local runs
CMD ["sh", "-c", "exec ./server --port ${PORT:-8080}"]
