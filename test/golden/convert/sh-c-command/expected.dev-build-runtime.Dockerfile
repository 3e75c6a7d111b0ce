FROM golang:1.24 AS dev
WORKDIR /srv
COPY go.mod go.sum ./
RUN go mod download
COPY . .

FROM dev AS build
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

# alpine:3.24, not distroless: the CMD runs its command through sh -c.
FROM alpine:3.24
RUN apk add --no-cache ca-certificates
COPY --from=build /out/server /server
ENV PORT=8080
USER 65532:65532
# the platform sets PORT; the default is for local runs
CMD ["sh", "-c", "exec /server --port ${PORT:-8080}"]
