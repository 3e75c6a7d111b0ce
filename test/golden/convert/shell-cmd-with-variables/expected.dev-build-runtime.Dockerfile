FROM golang:1.24 AS dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .

FROM dev AS build
RUN CGO_ENABLED=0 go build -o /out/app .

# alpine:3.24, not distroless: the CMD expands variables (`${PORT}`), which needs a shell.
FROM alpine:3.24
RUN apk add --no-cache ca-certificates
COPY --from=build /out/app /app
ENV PORT=8080
USER 65532:65532
CMD /app --port $PORT
