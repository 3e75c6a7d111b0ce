# syntax=docker/dockerfile:1
FROM golang:1.24 AS dev
WORKDIR /src
COPY . .

FROM dev AS build
RUN CGO_ENABLED=0 go build -o app .

# alpine:3.24: the CMD expands variables (`${PORT}`), which needs a shell.
# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM alpine:3.24
RUN apk add --no-cache ca-certificates tzdata
WORKDIR /src
COPY --from=build /src/app /src/app
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src /src
ENV PORT=8080
CMD ./app --port $PORT
