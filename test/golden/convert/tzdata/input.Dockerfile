FROM golang:1.24-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends tzdata git \
    && rm -rf /var/lib/apt/lists/*
ENV TZ=Europe/Paris
WORKDIR /src
COPY . .
RUN go build -o /bin/clock .
CMD ["/bin/clock"]
