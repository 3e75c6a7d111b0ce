package main

import (
	"fmt"
	"os/exec"
)

// Downloads with busybox's wget, as some programs do instead of net/http.
func main() {
	out, err := exec.Command("wget", "-q", "-O", "-", "http://127.0.0.1:1/").CombinedOutput()
	fmt.Println(string(out), err)
}
