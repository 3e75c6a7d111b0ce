package main

import (
	"html/template"
	"os"
)

func main() {
	t := template.Must(template.ParseFiles("/templates/index.html"))
	if err := t.Execute(os.Stdout, "world"); err != nil {
		panic(err)
	}
}
