FROM golang:1.24-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends tzdata git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/clock .

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/clock /clock
ENV TZ=Europe/Paris
CMD ["/clock"]
