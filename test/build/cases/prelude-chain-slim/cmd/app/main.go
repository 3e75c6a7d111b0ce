package main

import (
	"fmt"
	"os"
)

func main() {
	b, err := os.ReadFile("config/app.conf")
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Printf("config: %s", b)
}
