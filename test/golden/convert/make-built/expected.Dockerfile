# syntax=docker/dockerfile:1
FROM golang:1.24-alpine AS build
RUN apk add --no-cache make git
WORKDIR /app
COPY . .
# the Makefile stamps the version into the binary
RUN make build VERSION=1.4.0

# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM gcr.io/distroless/static-debian13
WORKDIR /app
COPY --from=build /app/bin/exporter /app/bin/exporter
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /app /app
EXPOSE 9090
ENTRYPOINT ["./bin/exporter"]
CMD ["--listen", ":9090"]
