FROM golang:1.24
WORKDIR /go/src/app
COPY . .
RUN go build -o /go/bin/app .
CMD ["app"]
