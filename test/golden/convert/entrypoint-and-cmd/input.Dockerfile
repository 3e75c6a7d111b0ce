FROM golang:1.24
WORKDIR /src
COPY . .
RUN go build -o app .
ENTRYPOINT ["./app"]
CMD ["serve", "--port", "8080"]
