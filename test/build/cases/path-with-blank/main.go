package main

import (
	"crypto/md5"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

const assetDir = "my assets"

func main() {
	b, err := os.ReadFile(filepath.Join(assetDir, "manifest.json"))
	if err != nil {
		fmt.Println("manifest missing")
		os.Exit(1)
	}
	var manifest struct {
		Icons []string `json:"icons"`
	}
	if err := json.Unmarshal(b, &manifest); err != nil {
		fmt.Println("bad manifest")
		os.Exit(1)
	}
	for _, name := range manifest.Icons {
		data, err := os.ReadFile(filepath.Join(assetDir, "icons", name))
		if err != nil {
			fmt.Println("icon missing:", name)
			os.Exit(1)
		}
		fmt.Printf("%s %x\n", name, md5.Sum(data))
	}
}
