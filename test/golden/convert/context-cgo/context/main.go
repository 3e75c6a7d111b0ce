package main

/*
#include <stdlib.h>
static int answer(void) { return 42; }
*/
import "C"

import "fmt"

func main() {
	fmt.Println(int(C.answer()))
}
