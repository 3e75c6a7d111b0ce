module example.com/storefront

go 1.21
