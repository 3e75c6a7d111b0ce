module github.com/acme/hooks

go 1.22
