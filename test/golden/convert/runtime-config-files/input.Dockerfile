FROM golang:1.24
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY config.yaml /etc/api/config.yaml
COPY templates/ ./templates/
COPY migrations ./migrations
RUN go build -o /usr/local/bin/api ./cmd/api
EXPOSE 8080
CMD ["api", "--config", "/etc/api/config.yaml"]
