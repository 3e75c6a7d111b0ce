package handlers

import (
	"fmt"
	"net/http"
)

// Routes lists the paths Register installs, in order.
var Routes = []string{"/ping", "/ready"}

func Register(mux *http.ServeMux) {
	mux.HandleFunc("/ping", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "pong") })
	mux.HandleFunc("/ready", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
}
