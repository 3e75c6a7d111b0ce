FROM golang:1.24-alpine
RUN apk add --no-cache make git
WORKDIR /app
COPY . .
# the Makefile stamps the version into the binary
RUN make build VERSION=1.4.0
EXPOSE 9090
ENTRYPOINT ["./bin/exporter"]
CMD ["--listen", ":9090"]
