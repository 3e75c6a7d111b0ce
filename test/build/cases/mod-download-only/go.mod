module github.com/acme/cache

go 1.22
