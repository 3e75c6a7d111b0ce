module github.com/acme/docs

go 1.22
