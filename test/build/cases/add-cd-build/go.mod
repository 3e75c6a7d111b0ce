module github.com/acme/ping

go 1.13
