package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	config := flag.String("config", "", "path to the YAML config")
	flag.Parse()
	if *config == "" {
		fmt.Println("--config is required")
		os.Exit(2)
	}
	f, err := os.Open(*config)
	if err != nil {
		fmt.Println("cannot open config", *config)
		os.Exit(1)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, _ := strings.Cut(line, ":")
		fmt.Printf("%s => %s\n", strings.TrimSpace(k), strings.TrimSpace(v))
		n++
	}
	fmt.Printf("loaded %d keys from %s\n", n, *config)
}
