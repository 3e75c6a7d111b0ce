package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
)

func bc(expr string) (string, error) {
	cmd := exec.Command("bc", "-q")
	cmd.Stdin = strings.NewReader(expr + "\n")
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}

func main() {
	for _, e := range []string{"2+3", "scale=4; 22/7", "2^64"} {
		r, err := bc(e)
		if err != nil {
			fmt.Printf("bc failed for %q\n", e)
			os.Exit(1)
		}
		fmt.Printf("%s = %s\n", e, r)
	}
}
