FROM golang:1.24
WORKDIR /srv
COPY . .
RUN go build -o server ./cmd/server
ENV PORT=8080
# the platform sets PORT; the default is for local runs
CMD ["sh", "-c", "exec ./server --port ${PORT:-8080}"]
