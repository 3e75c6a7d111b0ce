FROM golang:1.10
WORKDIR /go/src/github.com/acme/hello
COPY . .
RUN go-wrapper download && go-wrapper install
CMD ["go-wrapper", "run", "--greeting", "hi"]
