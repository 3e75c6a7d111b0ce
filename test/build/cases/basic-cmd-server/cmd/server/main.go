package main

import (
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/acme/orders/internal/version"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/version", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s\n", version.Name, version.Version)
	})

	addr := ":8080"
	if v := os.Getenv("ADDR"); v != "" {
		addr = v
	}
	fmt.Printf("%s %s: routes=/healthz,/version addr=%s\n", version.Name, version.Version, addr)

	if os.Getenv("SERVE") == "" {
		return
	}
	log.Fatal(http.ListenAndServe(addr, mux))
}
