package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

const stateDir = "./data"

func main() {
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		fmt.Println("cannot create state directory")
		os.Exit(1)
	}
	state := filepath.Join(stateDir, "state.txt")
	n := 0
	if b, err := os.ReadFile(state); err == nil {
		n, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		fmt.Println("resuming from saved state")
	}
	n++
	if err := os.WriteFile(state, []byte(strconv.Itoa(n)+"\n"), 0o644); err != nil {
		fmt.Println("cannot write state file")
		os.Exit(1)
	}
	b, err := os.ReadFile(state)
	if err != nil {
		fmt.Println("cannot read state file back")
		os.Exit(1)
	}
	fmt.Printf("state.txt = %s", b)
}
