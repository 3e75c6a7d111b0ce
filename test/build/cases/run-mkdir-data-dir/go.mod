module github.com/acme/uploader

go 1.22
