FROM golang:1.24 AS dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .

FROM dev AS build
RUN mkdir -p bin && CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/api /api
CMD ["/api"]
