package main

import (
	"fmt"
	"html/template"
	"os"
)

func main() {
	t := template.Must(template.ParseGlob("templates/*.html"))
	logo, err := os.ReadFile("static/logo.txt")
	if err != nil {
		fmt.Println("static/logo.txt missing:", err)
		os.Exit(1)
	}
	if err := t.ExecuteTemplate(os.Stdout, "index.html", "hello"); err != nil {
		os.Exit(1)
	}
	fmt.Print(string(logo))
}
