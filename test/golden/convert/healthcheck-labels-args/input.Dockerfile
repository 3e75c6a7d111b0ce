ARG GO_VERSION=1.24
FROM golang:${GO_VERSION}
ARG VERSION=dev
LABEL org.opencontainers.image.title="api" \
      org.opencontainers.image.version="${VERSION}"
WORKDIR /src
COPY . .
RUN go build -ldflags "-X main.version=${VERSION}" -o /bin/api ./cmd/api
# the API answers its own health check
HEALTHCHECK --interval=30s CMD /bin/api healthcheck
STOPSIGNAL SIGINT
VOLUME /data
CMD ["/bin/api"]
