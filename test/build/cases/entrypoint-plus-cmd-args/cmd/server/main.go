package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

type check struct {
	Name     string `json:"name"`
	URL      string `json:"url"`
	Interval int    `json:"interval_seconds"`
}

func load() []check {
	files, _ := filepath.Glob("checks/*.json")
	sort.Strings(files)
	if len(files) == 0 {
		fmt.Println("no checks configured in checks/")
		os.Exit(1)
	}
	var out []check
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Println("read failed:", filepath.Base(f))
			os.Exit(1)
		}
		var c check
		if err := json.Unmarshal(b, &c); err != nil {
			fmt.Println("bad check:", filepath.Base(f))
			os.Exit(1)
		}
		out = append(out, c)
	}
	return out
}

func main() {
	mode := flag.String("mode", "serve", "serve | check | list")
	flag.Parse()
	checks := load()
	switch *mode {
	case "check":
		for _, c := range checks {
			if c.Interval < 10 {
				fmt.Printf("check %s: interval %ds too short\n", c.Name, c.Interval)
				os.Exit(1)
			}
		}
		fmt.Printf("config ok: %d checks\n", len(checks))
	case "list":
		for _, c := range checks {
			fmt.Printf("%-8s every %3ds %s\n", c.Name, c.Interval, c.URL)
		}
	case "serve":
		fmt.Println("serving", len(checks), "checks")
	default:
		fmt.Println("unknown mode", *mode)
		os.Exit(2)
	}
}
