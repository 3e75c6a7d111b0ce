FROM golang:1.24
WORKDIR /src
COPY . .
# build
RUN go build -o app .
EXPOSE 80
CMD ["./app"]
