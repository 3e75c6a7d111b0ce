package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
)

func main() {
	f, err := os.Open("/srv/assets/sales.csv")
	if err != nil {
		fmt.Println("sales.csv missing")
		os.Exit(1)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		fmt.Println("bad csv")
		os.Exit(1)
	}
	total := 0.0
	for _, r := range rows[1:] {
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			fmt.Println("bad amount in row", r[0])
			os.Exit(1)
		}
		total += v
	}
	fmt.Printf("%d sales, total %.2f\n", len(rows)-1, total)
}
