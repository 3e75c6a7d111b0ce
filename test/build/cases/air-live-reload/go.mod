module github.com/acme/devsite

go 1.22
