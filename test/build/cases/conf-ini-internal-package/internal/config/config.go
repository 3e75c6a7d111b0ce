// Package config reads the INI file the wiki is configured with.
package config

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// Path is relative to the working directory, as in the upstream project.
const Path = "conf/app.ini"

// Load returns "section.key" -> value.
func Load() (map[string]string, error) {
	f, err := os.Open(Path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", Path, os.ErrNotExist)
	}
	defer f.Close()
	out := map[string]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, ";") || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = strings.Trim(line, "[]")
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("%s: bad line %q", Path, line)
		}
		out[section+"."+strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out, sc.Err()
}
