FROM golang:1.24 AS dev
RUN useradd -m app
WORKDIR /home/app/src
COPY --chown=app . .
USER app

FROM dev AS build
RUN CGO_ENABLED=0 go build -o /home/app/server .

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /home/app/server /server
# USER app: gcr.io/distroless/static-debian13:nonroot has no user "app"
USER 65532:65532
CMD ["/server"]
