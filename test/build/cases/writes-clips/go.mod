module github.com/acme/recorder

go 1.21
