package main

import (
	"fmt"
	"io/ioutil"
	"os"
)

func main() {
	files, err := ioutil.ReadDir("static")
	if err != nil {
		fmt.Println("static directory missing")
		os.Exit(1)
	}
	for _, f := range files {
		fmt.Printf("static/%s %d bytes\n", f.Name(), f.Size())
	}
}
