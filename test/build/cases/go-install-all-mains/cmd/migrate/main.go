package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/acme/ledger/internal/store"
)

func main() {
	dry := flag.Bool("dry-run", false, "print, do not apply")
	flag.Parse()
	m, err := store.Migrations()
	if err != nil {
		fmt.Println("migrate: migrations missing")
		os.Exit(1)
	}
	for _, f := range m {
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Println("migrate: read failed")
			os.Exit(1)
		}
		stmts := strings.Count(string(b), ";")
		fmt.Printf("migrate: %s (%d statements) dry-run=%v\n", f, stmts, *dry)
	}
}
