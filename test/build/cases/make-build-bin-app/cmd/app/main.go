package main

import (
	"fmt"
	"os"

	"github.com/acme/inventory/internal/build"
)

func main() {
	fmt.Printf("inventory %s\n", build.Version)
	if build.Version == "dev" {
		fmt.Println("warning: built without make, version not stamped")
		os.Exit(1)
	}
}
