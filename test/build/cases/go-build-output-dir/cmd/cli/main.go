package main

import (
	"fmt"
	"os"

	"github.com/acme/vault/internal/info"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Println("usage: cli version|status")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "version":
		fmt.Printf("%s cli %s\n", info.Name, info.Version)
	default:
		fmt.Println("unknown command", os.Args[1])
		os.Exit(2)
	}
}
