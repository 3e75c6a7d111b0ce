package main

import (
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	name := "config/app.local.json"
	b, err := os.ReadFile(name)
	if err != nil {
		name = "config/app.json"
		b, err = os.ReadFile(name)
	}
	if err != nil {
		fmt.Println("no config/app.json")
		os.Exit(1)
	}
	var cfg struct {
		Currency string             `json:"currency"`
		Plans    map[string]float64 `json:"plans"`
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		fmt.Println("bad config:", err)
		os.Exit(1)
	}
	fmt.Printf("using %s: currency=%s plans=%d pro=%.2f\n", name, cfg.Currency, len(cfg.Plans), cfg.Plans["pro"])
	if _, err := os.Stat("README.md"); err == nil {
		fmt.Println("README.md present (the .dockerignore was not applied)")
	}
}
