module github.com/acme/landing

go 1.22
