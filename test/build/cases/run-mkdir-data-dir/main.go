package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	dir := os.Getenv("DATA_DIR")
	if dir == "" {
		fmt.Println("DATA_DIR not set")
		os.Exit(1)
	}
	uploads := filepath.Join(dir, "uploads")
	if st, err := os.Stat(uploads); err != nil || !st.IsDir() {
		fmt.Println("uploads directory missing")
		os.Exit(1)
	}
	index := map[string]int{}
	for i, name := range []string{"report.pdf", "photo.jpg"} {
		data := make([]byte, 100*(i+1))
		if err := os.WriteFile(filepath.Join(uploads, name), data, 0o644); err != nil {
			fmt.Println("cannot write upload", name)
			os.Exit(1)
		}
		index[name] = len(data)
	}
	b, _ := json.Marshal(index)
	if err := os.WriteFile(filepath.Join(dir, "index.json"), b, 0o644); err != nil {
		fmt.Println("cannot write index.json")
		os.Exit(1)
	}
	fmt.Printf("stored %d uploads, index %s\n", len(index), b)
}
