module github.com/acme/status

go 1.21
