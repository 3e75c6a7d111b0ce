# syntax=docker/dockerfile:1
FROM golang:1.24 AS dev
WORKDIR /src
COPY . .

FROM dev AS build
RUN CGO_ENABLED=0 go build -o server .

# alpine:3.24: the HEALTHCHECK chains commands (`&&`, `;`, `|`), which needs a shell.
# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM alpine:3.24
RUN apk add --no-cache ca-certificates tzdata curl
WORKDIR /src
COPY --from=build /src/server /src/server
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src /src
HEALTHCHECK --interval=10s CMD curl -f http://localhost:8080/healthz || exit 1
CMD ["./server"]
