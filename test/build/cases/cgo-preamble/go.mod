module github.com/acme/checksum

go 1.22
