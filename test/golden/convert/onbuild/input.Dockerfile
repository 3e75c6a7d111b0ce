FROM golang:1.24
WORKDIR /src
COPY . .
RUN go build -o /bin/tool ./cmd/tool
ONBUILD COPY config.json /etc/tool/config.json
ENTRYPOINT ["/bin/tool"]
