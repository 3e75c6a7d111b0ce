// Command server answers "hello" on $PORT; it is the example program of go-multistage's demo.
package main

import (
	"log"
	"net/http"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("hello\n"))
	})
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
