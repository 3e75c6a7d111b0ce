FROM golang:1.24 AS dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .

FROM dev AS build
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/server /server
ENTRYPOINT ["/server"]
CMD ["--listen", ":8080"]
