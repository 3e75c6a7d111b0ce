module spell

go 1.22
