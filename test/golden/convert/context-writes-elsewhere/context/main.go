package main

import (
	"log"
	"os"
)

func main() {
	if err := os.MkdirAll("/var/lib/indexer", 0o755); err != nil {
		log.Fatal(err)
	}
	log.Println("ready")
}
