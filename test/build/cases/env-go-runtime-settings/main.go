package main

import (
	"fmt"
	"os"
	"runtime"
)

func main() {
	fmt.Println("GOMAXPROCS:", runtime.GOMAXPROCS(0))
	fmt.Println("GODEBUG:", os.Getenv("GODEBUG"))
	fmt.Println("greeting:", os.Getenv("GOAPP_GREETING"))
}
