FROM golang:1.24-alpine
WORKDIR /src/shiori
COPY . /src/shiori
RUN apk add --no-cache git
ENTRYPOINT ["go", "run", "main.go"]
CMD ["server"]
