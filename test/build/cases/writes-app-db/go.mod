module github.com/acme/notes

go 1.22
