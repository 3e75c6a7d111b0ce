module github.com/chatops/bot

go 1.20
