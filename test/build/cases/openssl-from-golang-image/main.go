package main

import (
	"fmt"
	"os/exec"
	"strings"
)

// Makes a random token with openssl, which the Debian golang image has (ca-certificates
// depends on it) without installing it: the runtime must have openssl too.
func main() {
	out, err := exec.Command("openssl", "rand", "-hex", "8").Output()
	if err != nil {
		fmt.Println("openssl:", err)
		return
	}
	fmt.Println("token of", len(strings.TrimSpace(string(out))), "hex digits")
}
