package main

import (
	"bufio"
	"errors"
	"os"
	"strings"
)

func loadQuotes(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errors.New("cannot open " + path)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			out = append(out, s)
		}
	}
	return out, sc.Err()
}
