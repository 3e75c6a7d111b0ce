package main

import (
	"fmt"
	"net"
	"os"
	"strings"
)

func main() {
	targets := strings.Fields(os.Getenv("TARGETS"))
	if len(targets) == 0 {
		fmt.Println("TARGETS is empty")
		os.Exit(1)
	}
	for _, t := range targets {
		host, port, err := net.SplitHostPort(t)
		if err != nil {
			fmt.Println("bad target", t)
			os.Exit(1)
		}
		fmt.Printf("would probe host=%s port=%s\n", host, port)
	}
}
