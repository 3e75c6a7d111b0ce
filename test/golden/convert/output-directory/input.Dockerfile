FROM golang:1.24
WORKDIR /src
COPY . .
RUN mkdir -p bin && go build -o bin/ ./cmd/api
CMD ["/src/bin/api"]
