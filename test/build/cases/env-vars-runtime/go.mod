module github.com/acme/flags

go 1.22
