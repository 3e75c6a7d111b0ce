FROM golang:1.24-alpine
RUN apk add --no-cache git
WORKDIR /app
COPY . .
RUN go build -o /app/bin/api ./cmd/api
ENTRYPOINT ["/app/bin/api"]
