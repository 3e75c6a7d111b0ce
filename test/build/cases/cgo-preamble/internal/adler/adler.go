// Package adler computes Adler-32 in C (kept from the original C tool).
package adler

/*
#include <stdint.h>
#include <stddef.h>

static uint32_t adler32(const unsigned char *p, size_t n) {
	uint32_t a = 1, b = 0;
	for (size_t i = 0; i < n; i++) {
		a = (a + p[i]) % 65521;
		b = (b + a) % 65521;
	}
	return (b << 16) | a;
}
*/
import "C"

import "unsafe"

// Sum returns the Adler-32 checksum of data.
func Sum(data []byte) uint32 {
	if len(data) == 0 {
		return 1
	}
	return uint32(C.adler32((*C.uchar)(unsafe.Pointer(&data[0])), C.size_t(len(data))))
}
