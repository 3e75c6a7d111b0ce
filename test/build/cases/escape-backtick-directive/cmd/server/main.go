package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	symbols := flag.String("symbols", "data/symbols.txt", "symbols file")
	flag.Parse()
	// the argument arrives with a Windows-style separator; normalise it
	path := strings.ReplaceAll(*symbols, `\`, "/")
	b, err := os.ReadFile(path)
	if err != nil {
		fmt.Println("symbols file missing")
		os.Exit(1)
	}
	marker, err := os.ReadFile("data/build-marker")
	if err != nil {
		fmt.Println("build marker missing")
		os.Exit(1)
	}
	fmt.Printf("arg=%q symbols=%s marker=%q\n", *symbols, strings.Join(strings.Fields(string(b)), ","), marker)
}
