package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"os"
	"sort"
)

type page struct {
	Title    string
	Products []string
}

func short(b []byte) string {
	return fmt.Sprintf("%x", sha256.Sum256(b))[:12]
}

func main() {
	tmpl, err := template.ParseGlob("templates/*.html")
	if err != nil {
		fmt.Println("templates:", err)
		os.Exit(1)
	}
	var names []string
	for _, t := range tmpl.Templates() {
		names = append(names, t.Name())
	}
	sort.Strings(names)
	fmt.Println("templates:", names)

	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "index.html", page{Title: "Shop", Products: []string{"mug", "shirt"}}); err != nil {
		fmt.Println("render:", err)
		os.Exit(1)
	}
	fmt.Printf("index.html rendered %d bytes sha=%s\n", buf.Len(), short(buf.Bytes()))

	css, err := os.ReadFile("static/app.css")
	if err != nil {
		fmt.Println("css:", err)
		os.Exit(1)
	}
	fmt.Printf("static/app.css %d bytes sha=%s\n", len(css), short(css))

	fs := http.Dir("static")
	f, err := fs.Open("/js/app.js")
	if err != nil {
		fmt.Println("static fs:", err)
		os.Exit(1)
	}
	js, _ := io.ReadAll(f)
	f.Close()
	fmt.Printf("static /js/app.js %d bytes sha=%s\n", len(js), short(js))

	mux := http.NewServeMux()
	mux.Handle("/static/", http.StripPrefix("/static/", http.FileServer(fs)))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		tmpl.ExecuteTemplate(w, "index.html", page{Title: "Shop"})
	})
	fmt.Println("listening on :80")
	if os.Getenv("SERVE") == "" {
		return
	}
	http.ListenAndServe(":80", mux)
}
