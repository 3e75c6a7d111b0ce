package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/acme/recorder/internal/store"
)

func main() {
	s := store.Store{Dir: "clips"}
	for i, name := range []string{"intro.raw", "chorus.raw", "outro.raw"} {
		data := bytes.Repeat([]byte{byte('a' + i)}, 128*(i+1))
		if err := s.Save(name, data); err != nil {
			fmt.Println("save failed:", name)
			os.Exit(1)
		}
	}
	files, err := s.List()
	if err != nil {
		fmt.Println("list failed")
		os.Exit(1)
	}
	fmt.Println("clips:", files)
}
