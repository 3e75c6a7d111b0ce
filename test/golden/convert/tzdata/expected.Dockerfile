# syntax=docker/dockerfile:1
FROM golang:1.24-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends tzdata git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/clock .

# Runs as root, as the original image did: what the program writes is not known (its Go sources were not read).
FROM gcr.io/distroless/static-debian13
WORKDIR /src
COPY --from=build /bin/clock /bin/clock
COPY --from=build --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src /src
ENV TZ=Europe/Paris
CMD ["/bin/clock"]
