// Package build carries values stamped in by the linker.
package build

// Version is set with -ldflags "-X .../internal/build.Version=...".
var Version = "dev"
