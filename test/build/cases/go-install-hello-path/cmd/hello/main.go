package main

import (
	"fmt"
	"os"
	"runtime"
)

func main() {
	who := "world"
	if len(os.Args) > 1 {
		who = os.Args[1]
	}
	fmt.Printf("hello, %s (%s/%s)\n", who, runtime.GOOS, runtime.GOARCH)
}
