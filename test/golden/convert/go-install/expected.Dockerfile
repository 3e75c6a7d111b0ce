FROM golang:1.24 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go install ./cmd/worker

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /go/bin/worker /worker
CMD ["/worker", "--queue", "default"]
