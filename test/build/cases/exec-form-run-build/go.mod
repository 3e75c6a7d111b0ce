module github.com/acme/stats

go 1.22
