# syntax=docker/dockerfile:1
FROM golang:1.24 AS dev
WORKDIR /src
COPY . .
RUN go mod download

FROM dev AS build
RUN CGO_ENABLED=0 go build -o /usr/local/bin/server ./cmd/server

# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM gcr.io/distroless/static-debian13
WORKDIR /src
COPY --from=build /usr/local/bin/server /usr/local/bin/server
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src /src
ENTRYPOINT ["/usr/local/bin/server"]
CMD ["--listen", ":8080"]
