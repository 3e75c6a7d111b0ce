// Package i18n loads flat TOML message catalogs from lang/<code>.toml.
package i18n

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

func Load(code string) (map[string]string, error) {
	name := "lang/" + code + ".toml"
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("catalog %s missing", name)
	}
	defer f.Close()
	msgs := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		s, err := strconv.Unquote(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v", name, k, err)
		}
		msgs[strings.TrimSpace(k)] = s
	}
	return msgs, sc.Err()
}
