module github.com/acme/bommed

go 1.22
