package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
)

func main() {
	f, err := os.Open("data/latency.txt")
	if err != nil {
		fmt.Println("data/latency.txt missing")
		os.Exit(1)
	}
	defer f.Close()
	var xs []float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v, err := strconv.ParseFloat(sc.Text(), 64)
		if err == nil {
			xs = append(xs, v)
		}
	}
	sort.Float64s(xs)
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(len(xs))
	v := 0.0
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	fmt.Printf("n=%d min=%.1f median=%.1f max=%.1f mean=%.2f sd=%.2f\n", len(xs), xs[0], xs[len(xs)/2], xs[len(xs)-1], mean, math.Sqrt(v/float64(len(xs))))
}
