package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/acme/notes/internal/db"
)

func main() {
	path := flag.String("db", "notes.db", "database file")
	flag.Parse()

	d, err := db.Open(*path)
	if err != nil {
		fmt.Println("open database failed")
		os.Exit(1)
	}
	defer d.Close()
	if err := d.Append("migrated schema v3"); err != nil {
		fmt.Println("write failed")
		os.Exit(1)
	}
	recs, err := d.All()
	if err != nil {
		fmt.Println("read failed")
		os.Exit(1)
	}
	fmt.Printf("database %s: %d records, last=%q\n", *path, len(recs), recs[len(recs)-1])
}
