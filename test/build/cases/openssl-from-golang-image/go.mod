module example.com/keygen

go 1.22
