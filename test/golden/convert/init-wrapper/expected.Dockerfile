# syntax=docker/dockerfile:1
FROM golang:1.22-alpine AS build
RUN apk add --no-cache tini
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/api ./cmd/api

# alpine:3.24, not distroless: the program may need tini at run time.
# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM alpine:3.24
RUN apk add --no-cache ca-certificates tzdata tini
WORKDIR /src
COPY --from=build /usr/local/bin/api /usr/local/bin/api
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src /src
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["/usr/local/bin/api", "--listen", ":8080"]
