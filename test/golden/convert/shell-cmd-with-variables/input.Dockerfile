FROM golang:1.24
WORKDIR /src
COPY . .
RUN go build -o app .
ENV PORT=8080
CMD ./app --port $PORT
