package store

import (
	"os"
	"path/filepath"
	"sort"
)

// Migrations lists migrations/*.sql in order.
func Migrations() ([]string, error) {
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, os.ErrNotExist
	}
	sort.Strings(files)
	return files, nil
}
