module fastmath

go 1.21
