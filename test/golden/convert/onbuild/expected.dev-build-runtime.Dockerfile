# syntax=docker/dockerfile:1
FROM golang:1.24 AS dev
WORKDIR /src
COPY . .

FROM dev AS build
RUN CGO_ENABLED=0 go build -o /bin/tool ./cmd/tool

# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM gcr.io/distroless/static-debian13
WORKDIR /src
COPY --from=build /bin/tool /bin/tool
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src /src
ONBUILD COPY config.json /etc/tool/config.json
ENTRYPOINT ["/bin/tool"]
