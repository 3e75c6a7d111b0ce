package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
)

func main() {
	port := flag.String("port", "", "listen port")
	flag.Parse()
	p, err := strconv.Atoi(*port)
	if err != nil || p <= 0 || p > 65535 {
		fmt.Printf("invalid --port %q\n", *port)
		os.Exit(2)
	}
	fmt.Printf("gateway listening on :%d\n", p)
}
