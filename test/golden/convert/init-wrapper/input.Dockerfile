FROM golang:1.22-alpine
RUN apk add --no-cache tini
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/api ./cmd/api
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["api", "--listen", ":8080"]
