package main

import (
	"flag"
	"fmt"
	"sync"
)

type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) add(k string) {
	c.mu.Lock()
	c.n[k]++
	c.mu.Unlock()
}

func main() {
	workers := flag.Int("workers", 2, "worker goroutines")
	flag.Parse()
	c := &counter{n: map[string]int{}}
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				c.add(fmt.Sprintf("bucket-%d", i%3))
			}
		}(w)
	}
	wg.Wait()
	fmt.Printf("workers=%d bucket-0=%d bucket-1=%d bucket-2=%d\n", *workers, c.n["bucket-0"], c.n["bucket-1"], c.n["bucket-2"])
}
