FROM golang:1.24 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/api ./cmd/api

# Run it.
FROM gcr.io/distroless/static-debian13:nonroot AS final
USER 65532
WORKDIR /src
COPY --from=build /bin/api /bin/api
EXPOSE 8080

ENTRYPOINT ["/bin/api"]
