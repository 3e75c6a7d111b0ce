FROM golang:1.24
WORKDIR /src
COPY . .
RUN ["go", "build", "-o", "/out/app", "."]
ENTRYPOINT ["/out/app"]
