// Package store writes clips below a directory.
package store

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

type Store struct{ Dir string }

func (s Store) Save(name string, data []byte) error {
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return fmt.Errorf("mkdir %s: %w", s.Dir, err)
	}
	return os.WriteFile(filepath.Join(s.Dir, name), data, 0o644)
}

func (s Store) List() ([]string, error) {
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%s(%d)", e.Name(), info.Size()))
	}
	sort.Strings(out)
	return out, nil
}
