FROM golang:1.24 AS dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .

FROM dev AS build
RUN CGO_ENABLED=0 go install ./cmd/worker

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /go/bin/worker /worker
CMD ["/worker", "--queue", "default"]
