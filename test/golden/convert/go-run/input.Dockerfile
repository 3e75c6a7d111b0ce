FROM golang:1.24
WORKDIR /src
COPY . .
RUN go mod download
ENTRYPOINT ["go", "run", "./cmd/server"]
CMD ["--listen", ":8080"]
