package main

import (
	"fmt"
	"os"
	"strings"
)

// A service started by an entrypoint script, which sets its greeting from the arguments.
func main() {
	greeting := os.Getenv("GREETING")
	if greeting == "" {
		fmt.Println("GREETING is not set")
		os.Exit(1)
	}
	fmt.Printf("%s, %s\n", greeting, strings.Join(os.Args[1:], " "))
}
