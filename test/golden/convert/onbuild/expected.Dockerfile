FROM golang:1.24 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/tool ./cmd/tool

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/tool /tool
ONBUILD COPY config.json /etc/tool/config.json
ENTRYPOINT ["/tool"]
