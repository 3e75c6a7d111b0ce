package main

import (
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	entries, err := os.ReadDir("public")
	if err != nil {
		fmt.Println("public missing:", err)
		os.Exit(1)
	}
	for _, entry := range entries {
		text, err := os.ReadFile(filepath.Join("public", entry.Name()))
		if err != nil {
			fmt.Println(entry.Name(), "unreadable:", err)
			os.Exit(1)
		}
		fmt.Printf("%s: %s", entry.Name(), text)
	}
}
