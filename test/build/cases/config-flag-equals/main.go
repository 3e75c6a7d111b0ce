package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
)

type Config struct {
	Env      string            `json:"env"`
	Workers  int               `json:"workers"`
	Upstream map[string]string `json:"upstream"`
}

func main() {
	path := flag.String("config", "configs/dev.json", "config file")
	flag.Parse()
	b, err := os.ReadFile(*path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "read config:", *path, "missing")
		os.Exit(1)
	}
	var c Config
	if err := json.Unmarshal(b, &c); err != nil {
		fmt.Fprintln(os.Stderr, "parse config:", err)
		os.Exit(1)
	}
	fmt.Printf("env=%s workers=%d upstreams=%d billing=%s\n", c.Env, c.Workers, len(c.Upstream), c.Upstream["billing"])
}
