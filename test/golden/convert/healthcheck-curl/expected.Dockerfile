FROM golang:1.24 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server .

# alpine:3.24, not distroless: the HEALTHCHECK chains commands (`&&`, `;`, `|`), which needs a shell.
FROM alpine:3.24
RUN apk add --no-cache ca-certificates curl
COPY --from=build /out/server /server
HEALTHCHECK --interval=10s CMD curl -f http://localhost:8080/healthz || exit 1
USER 65532:65532
CMD ["/server"]
