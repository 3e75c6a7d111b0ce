FROM golang:1.24 AS dev
WORKDIR /go/src/app
COPY . .

FROM dev AS build
RUN CGO_ENABLED=0 go build -o /out/hello

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/hello /hello
CMD ["/hello"]
