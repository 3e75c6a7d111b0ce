package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/acme/pinger/internal/handlers"
)

func main() {
	mux := http.NewServeMux()
	handlers.Register(mux)

	// self-check the routes before serving
	for _, p := range handlers.Routes {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		fmt.Printf("GET %s -> %d %q\n", p, rec.Code, rec.Body.String())
	}
	if os.Getenv("SERVE") == "" {
		return
	}
	http.ListenAndServe(":8080", mux)
}
