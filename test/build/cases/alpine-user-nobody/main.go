package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("relay listening on :1080")
	if os.Getenv("SERVE") == "" {
		return
	}
	select {}
}
