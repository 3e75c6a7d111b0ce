module github.com/acme/monitor

go 1.22
