package main

import (
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	f, err := os.Open("config/app.json")
	if err != nil {
		fmt.Println("config/app.json not found")
		os.Exit(1)
	}
	defer f.Close()
	var cfg map[string]interface{}
	if err := json.NewDecoder(f).Decode(&cfg); err != nil {
		fmt.Println("bad config:", err)
		os.Exit(1)
	}
	fmt.Printf("app %v on port %v (debug=%v)\n", cfg["name"], cfg["port"], cfg["debug"])
}
