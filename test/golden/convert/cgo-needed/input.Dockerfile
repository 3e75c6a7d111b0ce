FROM golang:1.24
RUN apt-get update && apt-get install -y libsqlite3-dev
WORKDIR /src
COPY . .
ENV CGO_ENABLED=1
RUN go build -o /out/store ./cmd/store
CMD ["/out/store"]
