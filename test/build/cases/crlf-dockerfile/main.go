package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	b, err := os.ReadFile("config/app.conf")
	if err != nil {
		fmt.Println("winbuilt: config/app.conf missing")
		os.Exit(1)
	}
	words := strings.Fields(string(b))
	fmt.Printf("winbuilt: config/app.conf has %d words, first %q, args %q\n", len(words), words[0], os.Args[1:])
}
