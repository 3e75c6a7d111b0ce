module github.com/acme/reporter

go 1.22
