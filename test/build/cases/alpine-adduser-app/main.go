package main

import (
	"fmt"
	"html/template"
	"os"
)

func main() {
	t, err := template.ParseGlob("templates/*.tmpl")
	if err != nil {
		fmt.Println("templates:", err)
		os.Exit(1)
	}
	fmt.Println("portal ready,", len(t.Templates()), "templates")
}
