module github.com/acme/invoice

go 1.22
