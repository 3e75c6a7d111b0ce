package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	name := flag.String("name", "", "service name")
	flag.Parse()
	if *name == "" {
		fmt.Println("--name is empty: APP_NAME was not expanded")
		os.Exit(2)
	}
	fmt.Printf("service %s started (args=%d)\n", *name, len(os.Args)-1)
}
