package main

import (
	"flag"
	"fmt"
	"os"
	"sort"

	"github.com/acme/admin/internal/conf"
)

func main() {
	cfgPath := flag.String("c", "config/settings.yml", "config file")
	flag.Parse()

	cfg, err := conf.Load(*cfgPath)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	keys := make([]string, 0, len(cfg))
	for k := range cfg {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Printf("config %s: %d settings\n", *cfgPath, len(keys))
	for _, k := range keys {
		fmt.Printf("  %s=%s\n", k, cfg[k])
	}
}
