package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"time"
)

func main() {
	pool, err := x509.SystemCertPool()
	if err != nil {
		fmt.Println("cannot load system roots")
		os.Exit(1)
	}
	//lint:ignore SA1019 only the emptiness of the pool is checked
	if len(pool.Subjects()) == 0 {
		fmt.Println("system CA bundle is empty: TLS calls would fail")
		os.Exit(1)
	}
	fmt.Println("system CA bundle: present")

	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}},
	}
	_ = client
	fmt.Println("webhook client ready")
}
