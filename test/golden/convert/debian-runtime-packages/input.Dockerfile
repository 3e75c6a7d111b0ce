FROM golang:1.24-bookworm
# imagemagick converts uploads; git fetches private modules
RUN apt-get update \
    && apt-get install -y --no-install-recommends git imagemagick libmagickwand-dev tzdata \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/media ./cmd/media
USER media
HEALTHCHECK CMD curl -fsS http://localhost:8080/healthz || exit 1
ENTRYPOINT ["media"]
