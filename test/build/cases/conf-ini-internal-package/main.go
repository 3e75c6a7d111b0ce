package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"git.example.org/tools/wiki/internal/config"
	"git.example.org/tools/wiki/internal/i18n"
)

func main() {
	cfg, err := config.Load()
	if err != nil {
		fmt.Println("config:", err)
		os.Exit(1)
	}
	keys := make([]string, 0, len(cfg))
	for k := range cfg {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("conf %s = %s\n", k, cfg[k])
	}

	for _, lang := range []string{"en", "de"} {
		msgs, err := i18n.Load(lang)
		if err != nil {
			fmt.Println("i18n:", err)
			os.Exit(1)
		}
		fmt.Printf("lang %s: %d messages, welcome=%q\n", lang, len(msgs), msgs["welcome"])
	}

	seeds, err := filepath.Glob(filepath.Join(cfg["storage.data_dir"], "*.md"))
	if err != nil || len(seeds) == 0 {
		fmt.Println("data: no seed pages in", cfg["storage.data_dir"])
		os.Exit(1)
	}
	total := 0
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			fmt.Println("data:", err)
			os.Exit(1)
		}
		total += len(b)
	}
	fmt.Printf("data: %d seed pages, %d bytes\n", len(seeds), total)

	if os.Getenv("SERVE") == "" {
		return
	}
	select {}
}
