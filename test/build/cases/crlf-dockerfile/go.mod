module github.com/acme/winbuilt

go 1.22
