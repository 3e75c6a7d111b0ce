FROM golang:1.24
WORKDIR /src
COPY . .
RUN go build -o server .
HEALTHCHECK --interval=10s CMD curl -f http://localhost:8080/healthz || exit 1
CMD ["./server"]
