/**
 * The environment variables of the Go toolchain (`go help environment`) that steer a build, as
 * opposed to those the Go runtime reads when the program runs (GOMAXPROCS, GOMEMLIMIT, GOGC,
 * GODEBUG, GOTRACEBACK) and those programs define for themselves (GOTIFY_SERVER_PORT).
 */

// With the C toolchain's, and PATH and DEBIAN_FRONTEND, which a build stage sets for its tools.
const BUILD_VARIABLES = new Set([
  'CC',
  'CXX',
  'AR',
  'FC',
  'PKG_CONFIG',
  'PATH',
  'DEBIAN_FRONTEND',
  'GCCGO',
  'GO111MODULE',
  'GO386',
  'GOAMD64',
  'GOARCH',
  'GOARM',
  'GOARM64',
  'GOAUTH',
  'GOBIN',
  'GOCACHE',
  'GOCACHEPROG',
  'GOENV',
  'GOEXE',
  'GOEXPERIMENT',
  'GOFIPS140',
  'GOFLAGS',
  'GOHOSTARCH',
  'GOHOSTOS',
  'GOINSECURE',
  'GOMIPS',
  'GOMIPS64',
  'GOMODCACHE',
  'GONOPROXY',
  'GONOSUMCHECK',
  'GONOSUMDB',
  'GOOS',
  'GOPATH',
  'GOPPC64',
  'GOPRIVATE',
  'GOPROXY',
  'GORISCV64',
  'GOROOT',
  'GOSUMDB',
  'GOTELEMETRY',
  'GOTMPDIR',
  'GOTOOLCHAIN',
  'GOTOOLDIR',
  'GOVCS',
  'GOWASM',
  'GOWORK',
]);

/** A variable that steers the Go build (cgo's CGO_CFLAGS, CGO_ENABLED, ... among them). */
export function buildVariable(name: string): boolean {
  return BUILD_VARIABLES.has(name) || name.startsWith('CGO_');
}
