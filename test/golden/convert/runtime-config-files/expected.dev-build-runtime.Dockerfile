FROM golang:1.24 AS dev
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY config.yaml /etc/api/config.yaml
COPY templates/ ./templates/
COPY migrations ./migrations

FROM dev AS build
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /app
COPY --from=build /out/api /api
COPY --from=build /etc/api/config.yaml /etc/api/config.yaml
COPY --from=build /app/templates /app/templates
COPY --from=build /app/migrations /app/migrations
EXPOSE 8080
CMD ["/api", "--config", "/etc/api/config.yaml"]
