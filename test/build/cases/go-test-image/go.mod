module github.com/acme/calc

go 1.22
