FROM golang:1.24
WORKDIR /app
COPY . .
RUN go build -o shop ./cmd/shop
EXPOSE 8080
CMD ["./shop"]
