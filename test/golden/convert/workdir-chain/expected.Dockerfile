FROM golang:1.24 AS build
WORKDIR /src
WORKDIR services/api
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api .

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/api /api
CMD ["/api"]
