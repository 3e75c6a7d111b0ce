package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/send", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) })
	fmt.Println("api: routes /send; queue dir jobs/")
	if os.Getenv("SERVE") == "" {
		return
	}
	http.ListenAndServe(":8080", mux)
}
