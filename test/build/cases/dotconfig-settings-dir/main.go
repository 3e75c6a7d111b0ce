package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type Settings struct {
	Prefix   string   `json:"prefix"`
	Channels []string `json:"channels"`
	Admins   []string `json:"admins"`
}

func main() {
	raw, err := os.ReadFile(".config/settings.json")
	if err != nil {
		fmt.Println("error: cannot read .config/settings.json")
		os.Exit(1)
	}
	var s Settings
	if err := json.Unmarshal(raw, &s); err != nil {
		fmt.Println("error: settings.json:", err)
		os.Exit(1)
	}
	fmt.Printf("prefix=%q channels=%s admins=%d\n", s.Prefix, strings.Join(s.Channels, ","), len(s.Admins))

	files, _ := filepath.Glob("settings/*.json")
	if len(files) == 0 {
		fmt.Println("error: no feature settings in settings/")
		os.Exit(1)
	}
	sort.Strings(files)
	enabled := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		var flags map[string]bool
		if err := json.Unmarshal(b, &flags); err != nil {
			fmt.Println("error: bad flags file", filepath.Base(f))
			os.Exit(1)
		}
		keys := make([]string, 0, len(flags))
		for k, on := range flags {
			if on {
				enabled++
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Printf("%s: %s\n", filepath.Base(f), strings.Join(keys, " "))
	}
	fmt.Println("enabled flags:", enabled)
}
