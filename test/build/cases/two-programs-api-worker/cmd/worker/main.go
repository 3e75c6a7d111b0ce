package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/acme/mailer/internal/jobs"
)

func main() {
	once := flag.Bool("once", false, "process the queue once and exit")
	flag.Parse()
	pending, err := jobs.Pending("jobs")
	if err != nil || len(pending) == 0 {
		fmt.Println("worker: no queue in jobs/")
		os.Exit(1)
	}
	for _, j := range pending {
		fmt.Printf("worker: %s %s -> %s\n", j.ID, j.Kind, j.To)
	}
	fmt.Printf("worker: processed %d jobs (once=%v)\n", len(pending), *once)
}
