package main

/*
static long long fib(int n) {
	long long a = 0, b = 1;
	for (int i = 0; i < n; i++) { long long t = a + b; a = b; b = t; }
	return a;
}
*/
import "C"

import "fmt"

func main() {
	for _, n := range []int{10, 50, 90} {
		fmt.Printf("fib(%d) = %d\n", n, int64(C.fib(C.int(n))))
	}
}
