package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	dir := filepath.Join("cache", "thumbnails")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		fmt.Println("cache dir not writable")
		os.Exit(1)
	}
	for _, name := range []string{"a.png", "b.png"} {
		sum := sha256.Sum256([]byte(name))
		if err := os.WriteFile(filepath.Join(dir, name+".thumb"), sum[:], 0o640); err != nil {
			fmt.Println("cache write failed:", name)
			os.Exit(1)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		fmt.Println("cache read failed")
		os.Exit(1)
	}
	fmt.Println("cached thumbnails:", len(entries))
	if _, err := os.Stat(filepath.Join("cache", "x")); os.IsNotExist(err) {
		if err := os.WriteFile(filepath.Join("cache", "x"), []byte("warm\n"), 0o640); err != nil {
			fmt.Println("cache marker write failed")
			os.Exit(1)
		}
	}
	b, _ := os.ReadFile(filepath.Join("cache", "x"))
	fmt.Printf("cache marker: %q\n", b)
}
