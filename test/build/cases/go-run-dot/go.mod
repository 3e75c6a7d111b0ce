module github.com/acme/newsletter

go 1.22
