package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/acme/scheduler/internal/clock"
)

func main() {
	zones := strings.Fields(os.Getenv("TZ_LIST"))
	if len(zones) == 0 {
		zones = []string{"Europe/Berlin"}
	}
	for _, z := range zones {
		s, err := clock.Describe(z)
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println(s)
	}
}
