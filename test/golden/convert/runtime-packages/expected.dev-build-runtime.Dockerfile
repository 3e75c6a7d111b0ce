# syntax=docker/dockerfile:1
FROM golang:1.24-alpine AS dev
# ffmpeg is run by the program to make thumbnails
RUN apk add --no-cache --virtual .build-deps make upx \
    && apk add --no-cache ffmpeg=6.1.2-r0 git tzdata
WORKDIR /src
COPY . .

FROM dev AS build
RUN CGO_ENABLED=0 go build -o /usr/local/bin/thumbs ./cmd/thumbs

# alpine:3.24, not distroless: the program may need ffmpeg at run time.
FROM alpine:3.24
RUN apk add --no-cache ca-certificates tzdata ffmpeg
RUN adduser -D -H thumbs
USER thumbs
WORKDIR /src
COPY --from=build /usr/local/bin/thumbs /usr/local/bin/thumbs
COPY --from=build --chown=thumbs --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /src /src
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/thumbs"]
