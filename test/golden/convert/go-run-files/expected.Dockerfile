FROM golang:1.24-alpine AS build
WORKDIR /src/shiori
COPY . /src/shiori
RUN apk add --no-cache git
RUN CGO_ENABLED=0 go build -o /out/shiori main.go

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/shiori /shiori
ENTRYPOINT ["/shiori"]
CMD ["server"]
