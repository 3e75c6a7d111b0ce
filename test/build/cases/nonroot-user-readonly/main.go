package main

import (
	"bytes"
	"fmt"
	"os"
	"text/template"
)

func main() {
	t, err := template.ParseFiles("views/status.tmpl")
	if err != nil {
		fmt.Println("views/status.tmpl unreadable")
		os.Exit(1)
	}
	var buf bytes.Buffer
	err = t.Execute(&buf, map[string]interface{}{
		"Services": []struct{ Name, State string }{{"api", "up"}, {"db", "degraded"}},
	})
	if err != nil {
		fmt.Println("render failed")
		os.Exit(1)
	}
	fmt.Print(buf.String())
}
