package main

// seed.go is a separate one-file program (go run seed.go) that writes sample
// quotes; it is not part of the server started by go run main.go util.go.

import (
	"fmt"
	"os"
)

func main() {
	if err := os.WriteFile("templates/quotes.tmpl", []byte("Don't panic.\n"), 0o644); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
}
