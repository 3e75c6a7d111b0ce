package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	b, err := os.ReadFile("public/index.md")
	if err != nil {
		fmt.Println("public/index.md missing in the working directory")
		os.Exit(1)
	}
	title := strings.TrimPrefix(strings.SplitN(string(b), "\n", 2)[0], "# ")
	fmt.Printf("docs: title %q, %d bytes\n", title, len(b))
	if _, err := os.Stat("main.go"); err == nil {
		fmt.Println("warning: running in the source directory")
	}
}
