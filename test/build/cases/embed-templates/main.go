package main

import (
	"embed"
	"fmt"
	"os"
	"text/template"
)

//go:embed templates/*.tmpl
var files embed.FS

type line struct {
	Item  string
	Cents int
}

func main() {
	t, err := template.New("").Funcs(template.FuncMap{
		"money": func(c int) string { return fmt.Sprintf("%d.%02d", c/100, c%100) },
	}).ParseFS(files, "templates/*.tmpl")
	if err != nil {
		fmt.Println("embedded templates:", err)
		os.Exit(1)
	}
	err = t.ExecuteTemplate(os.Stdout, "invoice.tmpl", map[string]interface{}{
		"Number": "INV-0042",
		"Lines":  []line{{"Hosting", 4900}, {"Support", 12050}},
		"Total":  16950,
	})
	if err != nil {
		fmt.Println("render:", err)
		os.Exit(1)
	}
}
