package main

import (
	"fmt"
	"os"
	"strings"
)

var version = "unset"

func main() {
	env := os.Getenv("APP_ENV")
	if env == "" {
		fmt.Println("APP_ENV is not set")
		os.Exit(1)
	}
	fmt.Printf("version=%s env=%s log=%s\n", version, env, os.Getenv("LOG_LEVEL"))
	for _, f := range strings.Split(os.Getenv("FEATURES"), ",") {
		fmt.Println("feature:", f)
	}
}
