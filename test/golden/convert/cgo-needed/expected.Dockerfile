FROM golang:1.24 AS build
RUN apt-get update && apt-get install -y libsqlite3-dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ENV CGO_ENABLED=1
RUN go build -o /out/store ./cmd/store

# CGO_ENABLED=1: the binary needs glibc, which this base has.
# Shared libraries installed in the build stage are not here: copy or install the ones
# the binary loads.
FROM gcr.io/distroless/base-debian13:nonroot
COPY --from=build /out/store /store
CMD ["/store"]
