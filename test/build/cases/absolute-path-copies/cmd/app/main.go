package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	dir := flag.String("migrations", "migrations", "migrations directory")
	flag.Parse()

	f, err := os.Open("/etc/app/config.yaml")
	if err != nil {
		fmt.Println("/etc/app/config.yaml missing")
		os.Exit(1)
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok {
			fmt.Printf("config %s=%s\n", strings.TrimSpace(k), strings.TrimSpace(v))
		}
	}
	f.Close()

	files, _ := filepath.Glob(filepath.Join(*dir, "*.up.sql"))
	if len(files) == 0 {
		fmt.Println("no migrations in", *dir)
		os.Exit(1)
	}
	sort.Strings(files)
	for _, m := range files {
		b, err := os.ReadFile(m)
		if err != nil {
			fmt.Println("unreadable migration", filepath.Base(m))
			os.Exit(1)
		}
		fmt.Printf("migration %s: %d bytes\n", filepath.Base(m), len(b))
	}
}
