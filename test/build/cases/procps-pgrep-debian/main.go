package main

import (
	"fmt"
	"os/exec"
)

// Looks for a process the way a supervisor might: pgrep exits 1 when nothing matches, and
// fails to start at all when the image has no pgrep.
func main() {
	err := exec.Command("pgrep", "-x", "no-such-process").Run()
	if exit, ok := err.(*exec.ExitError); ok {
		fmt.Println("pgrep ran, exit status", exit.ExitCode())
		return
	}
	fmt.Println("pgrep:", err)
}
