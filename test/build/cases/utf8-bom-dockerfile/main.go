package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	b, err := os.ReadFile("assets/banner.txt")
	if err != nil {
		fmt.Println("bommed: assets/banner.txt missing")
		os.Exit(1)
	}
	words := strings.Fields(string(b))
	fmt.Printf("bommed: assets/banner.txt has %d words, first %q, args %q\n", len(words), words[0], os.Args[1:])
}
