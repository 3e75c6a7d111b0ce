module github.com/example/shiori

go 1.24
