package main

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	var s struct {
		Site      string `json:"site"`
		RetainDay int    `json:"retain_days"`
		Anonymize bool   `json:"anonymize_ip"`
	}
	b, err := os.ReadFile("settings.json")
	if err != nil {
		fmt.Println("settings.json missing (did you rename settings.dist.json?)")
		os.Exit(1)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		fmt.Println("settings.json:", err)
		os.Exit(1)
	}
	fmt.Printf("site=%s retain=%dd anonymize=%v\n", s.Site, s.RetainDay, s.Anonymize)

	page, err := os.ReadFile("web/index.html")
	if err != nil {
		fmt.Println("web/index.html missing")
		os.Exit(1)
	}
	fmt.Printf("web/index.html sha1=%x\n", sha1.Sum(page))
}
