module github.com/acme/portal

go 1.21
