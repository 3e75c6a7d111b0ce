package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "Hello, Docker! <3")
	})
	port := os.Getenv("HTTP_PORT")
	if port == "" {
		port = "8080"
	}
	fmt.Println("listening on", port)
	if os.Getenv("SERVE") == "" {
		return
	}
	http.ListenAndServe(":"+port, nil)
}
