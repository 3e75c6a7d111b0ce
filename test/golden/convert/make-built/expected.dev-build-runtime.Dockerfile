FROM golang:1.24-alpine AS dev
RUN apk add --no-cache make git
WORKDIR /app
COPY . .

FROM dev AS build
# the Makefile stamps the version into the binary
RUN make build VERSION=1.4.0

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /app/bin/exporter /exporter
EXPOSE 9090
ENTRYPOINT ["/exporter"]
CMD ["--listen", ":9090"]
