package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/acme/notifier/internal/env"
)

func main() {
	keys, err := env.Load(".env")
	if err != nil {
		fmt.Println("Error loading .env file")
		os.Exit(1)
	}
	fmt.Println("loaded .env keys:", strings.Join(keys, ","))
	fmt.Println("PORT =", os.Getenv("PORT"))
	fmt.Println("SMTP_HOST =", os.Getenv("SMTP_HOST"))
	fmt.Println("FROM_ADDRESS =", os.Getenv("FROM_ADDRESS"))
	if os.Getenv("API_TOKEN") == "" {
		fmt.Println("API_TOKEN not set")
		os.Exit(1)
	}
	fmt.Println("API_TOKEN set:", len(os.Getenv("API_TOKEN")), "chars")
}
