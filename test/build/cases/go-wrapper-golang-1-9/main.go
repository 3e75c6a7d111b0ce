package main

import (
	"flag"
	"fmt"
	"os"

	"app/handlers"
)

func main() {
	port := flag.Int("port", 80, "listen port")
	flag.Parse()
	motd, err := handlers.MOTD()
	if err != nil {
		fmt.Println("motd.txt missing")
		os.Exit(1)
	}
	fmt.Printf("port=%d motd=%q\n", *port, motd)
}
