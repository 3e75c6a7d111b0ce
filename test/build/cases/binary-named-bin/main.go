package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

func main() {
	var files []string
	err := filepath.WalkDir("public", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, path)
		}
		return nil
	})
	if err != nil || len(files) == 0 {
		fmt.Println("public/ is missing or empty")
		os.Exit(1)
	}
	fmt.Println("serving", len(files), "files:", files)
}
