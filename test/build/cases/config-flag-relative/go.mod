module github.com/acme/admin

go 1.21
