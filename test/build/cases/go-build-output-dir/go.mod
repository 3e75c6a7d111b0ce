module github.com/acme/vault

go 1.22
