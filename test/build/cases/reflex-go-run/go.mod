module github.com/acme/api

go 1.21
