module github.com/acme/shortener

go 1.22
