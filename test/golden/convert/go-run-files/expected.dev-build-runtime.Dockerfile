# syntax=docker/dockerfile:1
FROM golang:1.24-alpine AS dev
WORKDIR /src/shiori
COPY . /src/shiori
RUN apk add --no-cache git

FROM dev AS build
RUN CGO_ENABLED=0 go build -o /usr/local/bin/shiori main.go

# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM gcr.io/distroless/static-debian13
WORKDIR /src/shiori
COPY --from=build /usr/local/bin/shiori /usr/local/bin/shiori
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src/shiori /src/shiori
ENTRYPOINT ["/usr/local/bin/shiori"]
CMD ["server"]
