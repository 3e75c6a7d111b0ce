package main

import (
	"flag"
	"fmt"
	"io/ioutil"
)

func main() {
	greeting := flag.String("greeting", "hello", "")
	flag.Parse()
	names, err := ioutil.ReadFile("names.txt")
	fmt.Println(*greeting, string(names), err)
}
