package main

import (
	"fmt"
	"os"

	"github.com/acme/ledger/internal/store"
)

func main() {
	m, err := store.Migrations()
	if err != nil {
		fmt.Println("api: cannot check schema version: migrations missing")
		os.Exit(1)
	}
	fmt.Printf("api: schema expects %d migrations, latest %s\n", len(m), m[len(m)-1])
}
