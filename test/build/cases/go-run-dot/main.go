package main

import (
	"fmt"
	"os"
	"strings"
	"text/template"
)

type issue struct {
	Number   int
	Headline string
	Items    []string
}

func main() {
	t, err := template.ParseFiles("templates/issue.txt", "templates/footer.txt")
	if err != nil {
		fmt.Println("load templates:", err != nil)
		os.Exit(1)
	}
	var sb strings.Builder
	err = t.ExecuteTemplate(&sb, "issue.txt", issue{Number: 42, Headline: "Multi-stage builds", Items: []string{"smaller images", "fewer CVEs"}})
	if err != nil {
		fmt.Println("render:", err)
		os.Exit(1)
	}
	fmt.Print(sb.String())
}
