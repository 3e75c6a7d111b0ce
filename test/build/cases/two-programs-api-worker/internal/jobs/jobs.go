// Package jobs describes queued jobs shared by the api and the worker.
package jobs

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
)

type Job struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	To   string `json:"to"`
}

// Pending reads every jobs/*.json file.
func Pending(dir string) ([]Job, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []Job
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var j Job
		if err := json.Unmarshal(b, &j); err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}
