module github.com/acme/ticker

go 1.22
