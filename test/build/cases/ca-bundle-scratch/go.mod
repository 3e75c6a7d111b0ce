module github.com/acme/hook

go 1.22
