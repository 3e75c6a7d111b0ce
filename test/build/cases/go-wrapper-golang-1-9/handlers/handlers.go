package handlers

import (
	"io/ioutil"
	"strings"
)

// MOTD returns the message of the day shown on the index page.
func MOTD() (string, error) {
	b, err := ioutil.ReadFile("motd.txt")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}
