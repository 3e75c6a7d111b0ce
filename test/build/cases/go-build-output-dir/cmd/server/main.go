package main

import (
	"fmt"

	"github.com/acme/vault/internal/info"
)

func main() {
	fmt.Printf("%s server %s: sealed=true\n", info.Name, info.Version)
}
