module github.com/acme/iconserver

go 1.22
