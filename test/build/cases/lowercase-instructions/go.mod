module github.com/acme/lower

go 1.22
