FROM golang:1.24 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

# Run it.
FROM gcr.io/distroless/static-debian13:nonroot AS final
COPY --from=build /out/api /api
EXPOSE 8080
USER 65532
ENTRYPOINT ["/api"]
