package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/acme/blog/internal/site"
)

func main() {
	t, err := site.Templates()
	if err != nil {
		fmt.Println("templates missing")
		os.Exit(1)
	}
	var sb strings.Builder
	if err := t.ExecuteTemplate(&sb, "post.gohtml", map[string]string{"Title": "Hello", "Body": "First post"}); err != nil {
		fmt.Println("render failed")
		os.Exit(1)
	}
	fmt.Println(sb.String())
}
