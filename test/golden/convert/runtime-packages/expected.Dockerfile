FROM golang:1.24-alpine AS build
# ffmpeg is run by the program to make thumbnails
RUN apk add --no-cache --virtual .build-deps make upx \
    && apk add --no-cache ffmpeg=6.1.2-r0 git tzdata
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /out/thumbs ./cmd/thumbs

# alpine:3.24, not distroless: the program may need ffmpeg at run time.
FROM alpine:3.24
RUN apk add --no-cache ca-certificates tzdata ffmpeg
COPY --from=build /out/thumbs /thumbs
RUN adduser -D -H thumbs
USER thumbs
EXPOSE 8080
ENTRYPOINT ["/thumbs"]
