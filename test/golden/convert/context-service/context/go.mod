module example.com/shop

go 1.24

require github.com/acme/money v1.2.0
