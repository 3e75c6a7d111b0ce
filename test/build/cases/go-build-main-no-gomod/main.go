package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	b, err := os.ReadFile("motd.txt")
	if err != nil {
		fmt.Println("motd.txt missing")
		os.Exit(1)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	fmt.Printf("motd (%d lines):\n", len(lines))
	for _, l := range lines {
		fmt.Println("  " + l)
	}
}
