FROM golang:1.24-bookworm AS dev
WORKDIR /src
COPY . .

FROM dev AS build
RUN CGO_ENABLED=0 go build -o /usr/local/bin/indexer .

# Runs as root, as the original image did: it writes /var/lib/indexer (main.go:9), outside its working directory.
FROM gcr.io/distroless/static-debian13
WORKDIR /src
COPY --from=build /usr/local/bin/indexer /usr/local/bin/indexer
CMD ["/usr/local/bin/indexer"]
