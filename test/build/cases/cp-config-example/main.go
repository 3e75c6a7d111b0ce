package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

func main() {
	f, err := os.Open("config.yaml")
	if err != nil {
		fmt.Println("config.yaml not found: copy config.example.yaml to config.yaml")
		os.Exit(1)
	}
	defer f.Close()
	settings := map[string]string{}
	order := []string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, _ := strings.Cut(line, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		settings[k] = v
		order = append(order, k)
	}
	fmt.Println("config keys:", strings.Join(order, " "))
	fmt.Println("base_url:", settings["base_url"])
	fmt.Println("code_length:", settings["code_length"])
}
