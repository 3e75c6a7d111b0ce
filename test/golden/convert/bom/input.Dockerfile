# syntax=docker/dockerfile:1
FROM golang:1.24
WORKDIR /src
COPY . .
RUN go build -o app .
CMD ["./app"]
