package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"text/template"
)

func main() {
	paths, _ := filepath.Glob("templates/emails/*.txt")
	if len(paths) == 0 {
		fmt.Println("no e-mail templates under templates/emails")
		os.Exit(1)
	}
	t, err := template.ParseFiles(paths...)
	if err != nil {
		fmt.Println("parse failed")
		os.Exit(1)
	}
	for _, p := range paths {
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, filepath.Base(p), map[string]string{"Name": "Ana", "Link": "https://example.com/x"}); err != nil {
			fmt.Println("render failed:", filepath.Base(p))
			os.Exit(1)
		}
		fmt.Printf("--- %s\n%s", filepath.Base(p), buf.String())
	}
}
