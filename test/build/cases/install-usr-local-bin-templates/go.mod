module github.com/acme/mailer-api

go 1.22
