# syntax=docker/dockerfile:1
FROM golang:1.24 AS dev
RUN useradd -m app
WORKDIR /home/app/src
COPY --chown=app . .
USER app

FROM dev AS build
RUN CGO_ENABLED=0 go build -o /home/app/server .

FROM gcr.io/distroless/static-debian13:nonroot
# USER app: gcr.io/distroless/static-debian13:nonroot has no user "app"
USER 65532:65532
WORKDIR /home/app/src
COPY --from=build /home/app/server /home/app/server
COPY --from=build --chown=65532:65532 --exclude=**/*.go --exclude=go.mod --exclude=go.sum --exclude=vendor --exclude=.git --exclude=Dockerfile* /home/app/src /home/app/src
CMD ["/home/app/server"]
