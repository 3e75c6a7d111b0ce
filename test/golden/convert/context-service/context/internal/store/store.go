package store

import "os"

// Open keeps the orders in ./data, next to the program's working directory.
func Open() error {
	if err := os.MkdirAll("data", 0o755); err != nil {
		return err
	}
	return os.WriteFile("data/orders.json", []byte("[]"), 0o644)
}
