FROM golang:1.24-alpine
# ffmpeg is run by the program to make thumbnails
RUN apk add --no-cache --virtual .build-deps make upx \
    && apk add --no-cache ffmpeg=6.1.2-r0 git tzdata
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/thumbs ./cmd/thumbs
USER thumbs
EXPOSE 8080
ENTRYPOINT ["thumbs"]
