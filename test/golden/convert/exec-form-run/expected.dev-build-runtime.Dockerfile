# syntax=docker/dockerfile:1
FROM golang:1.24 AS dev
WORKDIR /src
COPY . .
ENV CGO_ENABLED=0

FROM dev AS build
RUN ["go", "build", "-o", "/out/app", "."]

# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM gcr.io/distroless/static-debian13
WORKDIR /src
COPY --from=build /out/app /out/app
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src /src
ENTRYPOINT ["/out/app"]
