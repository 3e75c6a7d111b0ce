package main

import (
	"fmt"
	"os"

	"github.com/acme/hello/greet"
)

func main() {
	for _, lang := range []string{"en", "fr"} {
		lines, err := greet.Load(lang)
		if err != nil {
			fmt.Println("no messages for", lang)
			os.Exit(1)
		}
		for _, l := range lines {
			fmt.Printf("[%s] %s\n", lang, l)
		}
	}
}
