package main

import (
	"fmt"
	"os"
)

func main() {
	quotes, err := loadQuotes("templates/quotes.tmpl")
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Printf("%d quotes\n", len(quotes))
	for i, q := range quotes {
		fmt.Printf("%d. %s\n", i+1, q)
	}
}
