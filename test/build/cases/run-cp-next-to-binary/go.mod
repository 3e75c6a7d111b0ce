module example.com/cryweb

go 1.19
