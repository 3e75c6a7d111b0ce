module github.com/acme/calcsvc

go 1.22
