// Package greet builds greetings from the message catalog.
package greet

import (
	"io/ioutil"
	"strings"
)

// Load reads messages/<lang>.txt (one greeting per line).
func Load(lang string) ([]string, error) {
	b, err := ioutil.ReadFile("messages/" + lang + ".txt")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out, nil
}
