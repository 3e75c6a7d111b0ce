FROM golang:1.24
RUN useradd -m app
WORKDIR /home/app/src
COPY --chown=app . .
USER app
RUN go build -o /home/app/server .
CMD ["/home/app/server"]
