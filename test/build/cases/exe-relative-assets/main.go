package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

func main() {
	exe, err := os.Executable()
	if err != nil {
		fmt.Println("cannot locate executable")
		os.Exit(1)
	}
	web := filepath.Join(filepath.Dir(exe), "web")
	entries, err := os.ReadDir(web)
	if err != nil {
		fmt.Println("web/ not found next to the executable")
		os.Exit(1)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(web, n))
		if err != nil {
			fmt.Println("unreadable:", n)
			os.Exit(1)
		}
		fmt.Printf("web/%s %x\n", n, sha256.Sum256(b))
	}
}
