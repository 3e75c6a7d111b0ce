FROM golang:1.24
WORKDIR /src
WORKDIR services/api
COPY . .
RUN go build -o api .
CMD ["./api"]
