FROM golang:1.24-bookworm
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/indexer .
CMD ["indexer"]
