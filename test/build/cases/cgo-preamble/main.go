package main

import (
	"fmt"
	"hash/adler32"
	"os"

	"github.com/acme/checksum/internal/adler"
)

func main() {
	for _, arg := range os.Args[1:] {
		c := adler.Sum([]byte(arg))
		if c != adler32.Checksum([]byte(arg)) {
			fmt.Println("mismatch for", arg)
			os.Exit(1)
		}
		fmt.Printf("%08x  %s\n", c, arg)
	}
}
