FROM golang:1.24 AS build
WORKDIR /src
COPY . .
RUN go build -o /bin/api ./cmd/api

# Run it.
FROM build AS final
EXPOSE 8080
USER 65532
ENTRYPOINT ["/bin/api"]
