FROM golang:1.24
WORKDIR /src
COPY . .
RUN go build -o /out/migrate ./cmd/migrate && go build -o /out/server ./cmd/server
CMD ["/out/server"]
