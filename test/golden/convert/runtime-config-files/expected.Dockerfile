# syntax=docker/dockerfile:1
FROM golang:1.24 AS build
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY config.yaml /etc/api/config.yaml
COPY templates/ ./templates/
COPY migrations ./migrations
RUN CGO_ENABLED=0 go build -o /usr/local/bin/api ./cmd/api

# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM gcr.io/distroless/static-debian13
WORKDIR /app
COPY --from=build /usr/local/bin/api /usr/local/bin/api
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /app /app
COPY --from=build /etc/api/config.yaml /etc/api/config.yaml
EXPOSE 8080
CMD ["/usr/local/bin/api", "--config", "/etc/api/config.yaml"]
