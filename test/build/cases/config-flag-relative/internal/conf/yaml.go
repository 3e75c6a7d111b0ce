// Package conf reads the small subset of YAML the admin config uses:
// nested maps by two-space indentation and scalar values.
package conf

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

func Load(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config file %s not found", path)
	}
	defer f.Close()
	out := map[string]string{}
	var stack []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		raw := sc.Text()
		if strings.TrimSpace(raw) == "" || strings.HasPrefix(strings.TrimSpace(raw), "#") {
			continue
		}
		depth := (len(raw) - len(strings.TrimLeft(raw, " "))) / 2
		if depth > len(stack) {
			return nil, fmt.Errorf("%s: bad indentation: %q", path, raw)
		}
		stack = stack[:depth]
		k, v, ok := strings.Cut(strings.TrimSpace(raw), ":")
		if !ok {
			return nil, fmt.Errorf("%s: bad line: %q", path, raw)
		}
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		if v == "" {
			stack = append(stack, k)
			continue
		}
		out[strings.Join(append(append([]string{}, stack...), k), ".")] = v
	}
	return out, sc.Err()
}
