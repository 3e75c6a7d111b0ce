package main

import (
	"html/template"
	"log"
	"net/http"
	"os"

	"example.com/shop/internal/store"
)

func main() {
	pages := template.Must(template.ParseGlob("templates/*.html"))
	settings, err := os.ReadFile("conf/app.ini")
	if err != nil {
		log.Fatal(err)
	}
	if err := store.Open(); err != nil {
		log.Fatal(err)
	}
	http.Handle("/static/", http.FileServer(http.Dir(".")))
	log.Println(pages.Name(), len(settings))
}
