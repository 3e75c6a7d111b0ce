FROM golang:1.10 AS dev
WORKDIR /go/src/github.com/acme/hello
COPY . .

FROM dev AS build
RUN go-wrapper download && CGO_ENABLED=0 go-wrapper install

# Non-root, unlike the original: the program writes nothing outside /tmp, binds no port below 1024.
FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /go/src/github.com/acme/hello
COPY --from=build /go/bin/hello /go/bin/hello
COPY --from=build /go/src/github.com/acme/hello/names.txt /go/src/github.com/acme/hello/names.txt
ENV PATH=/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["/go/bin/hello", "--greeting", "hi"]
