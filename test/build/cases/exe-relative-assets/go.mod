module github.com/acme/kiosk

go 1.22
