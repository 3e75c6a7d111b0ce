package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	b, err := os.ReadFile("static/words")
	if err != nil {
		fmt.Println("lower: static/words missing")
		os.Exit(1)
	}
	words := strings.Fields(string(b))
	fmt.Printf("lower: static/words has %d words, first %q, args %q\n", len(words), words[0], os.Args[1:])
}
