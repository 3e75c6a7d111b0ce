package main

import (
	"bufio"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)

	f, err := os.Open("jobs.conf")
	if err != nil {
		fmt.Println("jobs.conf missing")
		os.Exit(1)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		fmt.Printf("job %s runs %q\n", fields[0], strings.Join(fields[1:], " "))
		n++
	}
	fmt.Println("scheduled", n, "jobs")
	if os.Getenv("SERVE") == "" {
		return
	}
	<-sig
}
