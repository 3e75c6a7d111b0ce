// Prints a file the program reads relative to its working directory, as many services read a
// config or template folder: the runtime image must carry the file and keep the WORKDIR.
package main

import (
	"fmt"
	"os"
)

func main() {
	text, err := os.ReadFile("greeting.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot read greeting.txt:", err)
		os.Exit(1)
	}
	fmt.Print(string(text))
	fmt.Fprintln(os.Stderr, "greeted")
}
