FROM golang:1.24 AS dev
WORKDIR /go/src/app
COPY . .

FROM dev AS build
RUN go build -o /go/bin/app .

# cgo is kept (import "C" in main.go): the binary needs glibc, which this image has.
# Non-root, unlike the original: the program writes nothing outside /tmp, binds no port below 1024.
FROM gcr.io/distroless/base-debian13:nonroot
WORKDIR /go/src/app
COPY --from=build /go/bin/app /go/bin/app
ENV PATH=/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["/go/bin/app"]
