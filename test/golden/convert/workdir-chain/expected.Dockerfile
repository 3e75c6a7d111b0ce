# syntax=docker/dockerfile:1
FROM golang:1.24 AS build
WORKDIR /src
WORKDIR services/api
COPY . .
RUN CGO_ENABLED=0 go build -o api .

# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM gcr.io/distroless/static-debian13
WORKDIR /src/services/api
COPY --from=build /src/services/api/api /src/services/api/api
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src/services/api /src/services/api
CMD ["./api"]
