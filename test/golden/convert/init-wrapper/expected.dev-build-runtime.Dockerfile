FROM golang:1.22-alpine AS dev
RUN apk add --no-cache tini
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .

FROM dev AS build
RUN go build -o /out/api ./cmd/api

# alpine:3.24, not distroless: the program may need tini at run time.
FROM alpine:3.24
RUN apk add --no-cache ca-certificates tini
COPY --from=build /out/api /api
USER 65532:65532
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["/api", "--listen", ":8080"]
