FROM golang:1.24 AS dev
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .

FROM dev AS build
RUN CGO_ENABLED=0 go build -o shop ./cmd/shop

FROM gcr.io/distroless/static-debian13:nonroot
# Non-root, and /app is this user's: the program writes there: data (internal/store/store.go:7).
USER 65532:65532
WORKDIR /app
COPY --from=build /app/shop /app/shop
COPY --from=build --chown=65532:65532 /app/conf /app/conf
COPY --from=build --chown=65532:65532 /app/static /app/static
COPY --from=build --chown=65532:65532 /app/templates /app/templates
EXPOSE 8080
CMD ["./shop"]
