// Package version holds the build identity of the orders service.
package version

const (
	Name    = "orders"
	Version = "0.4.1"
)
