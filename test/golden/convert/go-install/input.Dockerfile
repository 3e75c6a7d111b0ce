FROM golang:1.24
WORKDIR /src
COPY . .
RUN go install ./cmd/worker
CMD ["worker", "--queue", "default"]
